using Phota.Http;

namespace Phota.Benchmarks;

/// <summary>Counts the HTTP exchanges a client reports through <see cref="PhotaClientOptions.Log"/>, by kind of request.</summary>
internal sealed class RequestTally
{
    private int _submits, _polls, _downloads, _other, _retries;

    public int Submits => Volatile.Read(ref _submits);

    public int Polls => Volatile.Read(ref _polls);

    public int Downloads => Volatile.Read(ref _downloads);

    public int Retries => Volatile.Read(ref _retries);

    public int Total => Submits + Polls + Downloads + Volatile.Read(ref _other);

    public void Record(PhotaLogEvent e)
    {
        if (e.Kind == PhotaLogEventKind.Retry)
        {
            Interlocked.Increment(ref _retries);
            return;
        }

        if (e.Kind != PhotaLogEventKind.HttpExchange)
        {
            return;
        }

        var path = e.Path ?? string.Empty;
        if (path.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _polls);
        }
        else if (e.Method == "POST" && path.StartsWith("/v1/phota/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _submits);
        }
        else if (e.Method == "GET" && !path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _downloads);
        }
        else
        {
            Interlocked.Increment(ref _other);
        }
    }
}
