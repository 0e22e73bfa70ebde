using System.Globalization;
using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>How a job status response says when to look again.</summary>
internal enum RetryAfterHint
{
    /// <summary>As the server sent it.</summary>
    None,
    /// <summary><c>Retry-After</c>: the whole seconds left until the job is done (at least 1).</summary>
    Seconds,
    /// <summary><c>retry-after-ms</c>: the milliseconds left until the job is done.</summary>
    Milliseconds,
}

/// <summary>
/// Sits between the client and the socket. It records whether the server's pending/running job status responses carry
/// <c>Retry-After</c> or <c>retry-after-ms</c>, and, when asked, adds one computed from the job's <c>created_at</c> and
/// the emulator's fixed job time: a stand-in for a server that announces when a job will be done, which the emulator
/// does not do.
/// </summary>
internal sealed class RetryAfterHintHandler(RetryAfterHint hint, int serverMs, Action<bool> observed) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Method != HttpMethod.Get || request.RequestUri?.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal) != true
            || !response.IsSuccessStatusCode)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var status = JsonDocument.Parse(body);
        var state = status.RootElement.GetProperty("status").GetString();
        if (state is not ("pending" or "running"))
        {
            return response;
        }

        observed(response.Headers.Contains("Retry-After") || response.Headers.Contains("retry-after-ms"));
        if (hint == RetryAfterHint.None)
        {
            return response;
        }

        var created = DateTimeOffset.Parse(status.RootElement.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture);
        var left = created + TimeSpan.FromMilliseconds(serverMs) - DateTimeOffset.UtcNow;
        if (left < TimeSpan.Zero)
        {
            left = TimeSpan.Zero;
        }

        if (hint == RetryAfterHint.Seconds)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", Math.Max(1, (int)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            response.Headers.TryAddWithoutValidation("retry-after-ms", ((int)Math.Ceiling(left.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }
}
