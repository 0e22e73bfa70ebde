using System.Net.Http.Headers;

namespace Phota.Testing.OpenApi;

/// <summary>
/// Checks every response passing through against the OpenAPI document and collects the violations, so a test
/// can assert that everything its client saw conformed. The body is read and put back, so the caller still reads
/// it; images and bodies over <see cref="MaxValidatedBodyBytes"/> are passed through unread and only their status
/// and media type are checked. Paths the document does not describe are passed through unchecked.
/// </summary>
/// <example>
/// <code>
/// var validation = new ValidatingHandler();
/// using HttpClient client = fixture.CreateClient(handler: validation);
/// ... // exercise the API
/// validation.AssertNoViolations();
/// </code>
/// </example>
public sealed class ValidatingHandler : DelegatingHandler
{
    public const int MaxValidatedBodyBytes = 8 * 1024 * 1024;

    private readonly OpenApiValidator _validator;
    private readonly object _gate = new();
    private readonly List<string> _violations = [];
    private int _checkedResponses;
    private int _checkedRequests;

    /// <summary>Validates against spec/openapi.v0.7.0.json, sending through a new <see cref="SocketsHttpHandler"/>.</summary>
    public ValidatingHandler()
        : this(new SocketsHttpHandler())
    {
    }

    public ValidatingHandler(HttpMessageHandler innerHandler, OpenApiValidator? validator = null)
        : base(innerHandler)
    {
        _validator = validator ?? OpenApiValidator.Vendored;
    }

    /// <summary>Throw <see cref="OpenApiViolationException"/> from the send, as well as recording, when a response violates the document.</summary>
    public bool ThrowOnViolation { get; init; }

    /// <summary>
    /// Also validate request bodies (of known length up to <see cref="MaxValidatedBodyBytes"/>, buffered to read
    /// them) and query parameters. Off by default: tests of the emulator send invalid requests on purpose.
    /// </summary>
    public bool ValidateRequests { get; init; }

    /// <summary>A snapshot of every violation so far, in the order found.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
                return _violations.ToArray();
        }
    }

    /// <summary>How many responses to API paths were checked (to make sure a test's traffic was seen at all).</summary>
    public int CheckedResponses => Volatile.Read(ref _checkedResponses);

    /// <summary>How many request bodies and queries to API paths were checked (with <see cref="ValidateRequests"/>).</summary>
    public int CheckedRequests => Volatile.Read(ref _checkedRequests);

    /// <summary>Throws, listing every violation, if any response (or request) did not conform.</summary>
    public void AssertNoViolations()
    {
        IReadOnlyList<string> violations = Violations;
        if (violations.Count > 0)
            throw new OpenApiViolationException(violations);
    }

    public void Clear()
    {
        lock (_gate)
            _violations.Clear();
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string method = request.Method.Method;
        string pathAndQuery = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.PathAndQuery : request.RequestUri?.OriginalString ?? "/";
        string path = pathAndQuery.Split('?')[0];
        bool isApiPath = _validator.Document.TryMatchPath(path, out _, out _);

        if (isApiPath && ValidateRequests)
            await CheckRequestAsync(request, method, pathAndQuery, cancellationToken).ConfigureAwait(false);

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!isApiPath)
            return response;

        ReadOnlyMemory<byte>? body = await ReadBackAsync(response, cancellationToken).ConfigureAwait(false);
        OpenApiValidationResult result = _validator.ValidateResponse(method, path, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        Interlocked.Increment(ref _checkedResponses);
        Record(result);
        if (ThrowOnViolation && !result.IsValid)
        {
            response.Dispose();
            throw new OpenApiViolationException(result.Violations);
        }
        return response;
    }

    private async Task CheckRequestAsync(HttpRequestMessage request, string method, string pathAndQuery, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        if (request.Content is { } content)
        {
            long? length = content.Headers.ContentLength;
            if (length is null or > MaxValidatedBodyBytes)
                return; // Reading it would mean buffering a stream of unknown or large size.
            await content.LoadIntoBufferAsync().ConfigureAwait(false);
            body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        OpenApiValidationResult result = _validator.ValidateRequest(method, pathAndQuery, request.Content?.Headers.ContentType?.MediaType, body);
        Interlocked.Increment(ref _checkedRequests);
        Record(result);
        if (ThrowOnViolation && !result.IsValid)
            throw new OpenApiViolationException(result.Violations);
    }

    /// <summary>
    /// Reads the response body into memory and puts an equivalent buffered content back on the response. Returns
    /// null, leaving the body unread (or put back as a stream), for images and for bodies over the size limit.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBackAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        HttpContent original = response.Content;
        string? mediaType = original.Headers.ContentType?.MediaType;
        bool binary = mediaType is not null
            && (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase));
        if (binary || original.Headers.ContentLength > MaxValidatedBodyBytes)
            return null;

        Stream stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[Math.Min(original.Headers.ContentLength ?? 64 * 1024, MaxValidatedBodyBytes) + 1];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > MaxValidatedBodyBytes)
                    break;
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxValidatedBodyBytes + 1));
            }
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            length += read;
        }

        // Too large after all (no Content-Length): hand back what was read followed by the rest of the stream.
        bool tooLarge = length > MaxValidatedBodyBytes;
        HttpContent replacement = tooLarge
            ? new StreamContent(new PrefixedStream(buffer.AsMemory(0, length), stream))
            : new ByteArrayContent(buffer, 0, length);
        CopyHeaders(original.Headers, replacement.Headers);
        response.Content = replacement;
        if (tooLarge)
            return null;
        original.Dispose();
        return buffer.AsMemory(0, length);
    }

    private static void CopyHeaders(HttpContentHeaders from, HttpContentHeaders to)
    {
        foreach (KeyValuePair<string, IEnumerable<string>> header in from)
        {
            to.Remove(header.Key);
            to.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    private void Record(OpenApiValidationResult result)
    {
        if (result.IsValid)
            return;
        lock (_gate)
            _violations.AddRange(result.Violations);
    }

    /// <summary>Reads a prefix already taken from a stream, then the rest of that stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
                return rest.Read(buffer);
            int take = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..take].CopyTo(buffer);
            _prefix = _prefix[take..];
            return take;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
                return rest.ReadAsync(buffer, cancellationToken);
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rest.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
