namespace Phota.Reliability.Tests.Support;

/// <summary>
/// Lets result downloads (the emulator's <c>/_emulator/files/</c> links) through a trickle: a few bytes, then a pause
/// per read, so a test can act while a file is half written. <see cref="FirstBytes"/> completes when the first bytes
/// of a download have been handed to the client.
/// </summary>
internal sealed class SlowDownloadHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _firstBytes = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstBytes => _firstBytes.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!request.RequestUri!.AbsolutePath.StartsWith("/_emulator/files/", StringComparison.Ordinal) || !response.IsSuccessStatusCode)
        {
            return response;
        }

        var inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var slow = new StreamContent(new TrickleStream(inner, _firstBytes));
        foreach (var header in response.Content.Headers)
        {
            slow.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = slow;
        return response;
    }

    private sealed class TrickleStream(Stream inner, TaskCompletionSource firstBytes) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64)], cancellationToken).ConfigureAwait(false);
            firstBytes.TrySetResult();
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
