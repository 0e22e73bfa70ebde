using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>
/// Sits between the client and the socket and counts the pending/running job statuses and how many carried a hint
/// (<c>retry-after-ms</c> or <c>Retry-After</c>). With <paramref name="keepSecondsOnly"/> it removes
/// <c>retry-after-ms</c> from each answer, leaving the emulator's whole-second <c>Retry-After</c>: what a server that
/// sends only the standard header would tell the client.
/// </summary>
internal sealed class RetryAfterObserver(bool keepSecondsOnly) : DelegatingHandler
{
    private int _pending, _hinted;

    public int PendingResponses => Volatile.Read(ref _pending);

    public int PendingWithHint => Volatile.Read(ref _hinted);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Method != HttpMethod.Get || request.RequestUri?.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal) != true
            || !response.IsSuccessStatusCode)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        using var status = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        if (status.RootElement.GetProperty("status").GetString() is not ("pending" or "running"))
        {
            return response;
        }

        Interlocked.Increment(ref _pending);
        if (response.Headers.Contains("Retry-After") || response.Headers.Contains("retry-after-ms"))
        {
            Interlocked.Increment(ref _hinted);
        }

        if (keepSecondsOnly)
        {
            response.Headers.Remove("retry-after-ms");
        }

        return response;
    }
}
