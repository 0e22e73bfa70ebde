using Phota.Http;

namespace Phota.Benchmarks;

/// <summary>
/// Counts the HTTP exchanges a client reports through <see cref="PhotaClientOptions.Log"/>, by kind of request, and
/// sums their durations (request sent to answer read, as the client reports them).
/// </summary>
internal sealed class RequestTally(TimeSpan minPollDelay)
{
    public RequestTally()
        : this(PhotaClientOptions.Default.MinPollDelay)
    {
    }

    private int _submits, _polls, _downloads, _other, _retries, _waits, _shortWaits;
    private long _submitTicks, _pollTicks, _downloadTicks;

    public int Submits => Volatile.Read(ref _submits);

    public int Polls => Volatile.Read(ref _polls);

    public int Downloads => Volatile.Read(ref _downloads);

    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Waits before job polls, and those after a poll of at most the client's <see cref="PhotaClientOptions.MinPollDelay"/> (raised to the minimum gap).</summary>
    public int Waits => Volatile.Read(ref _waits);

    public int ShortWaits => Volatile.Read(ref _shortWaits);

    public int Total => Submits + Polls + Downloads + Volatile.Read(ref _other);

    /// <summary>Mean duration of one submit POST, one status GET, one result download, in ms (0 when there were none).</summary>
    public double MeanSubmitMs => Mean(_submitTicks, Submits);

    public double MeanPollMs => Mean(_pollTicks, Polls);

    public double MeanDownloadMs => Mean(_downloadTicks, Downloads);

    public void Record(PhotaLogEvent e)
    {
        if (e.Kind == PhotaLogEventKind.Retry)
        {
            Interlocked.Increment(ref _retries);
            return;
        }

        if (e.Kind == PhotaLogEventKind.Wait && e.Subject?.StartsWith("job ", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _waits);
            // A wait after a check (not the one before a job's first check) at the floor: the job was checked again
            // as soon as the client allows.
            if (e.Message != "submitted" && e.Delay is { } delay && delay <= minPollDelay)
            {
                Interlocked.Increment(ref _shortWaits);
            }

            return;
        }

        if (e.Kind != PhotaLogEventKind.HttpExchange)
        {
            return;
        }

        var ticks = e.Elapsed?.Ticks ?? 0;
        var path = e.Path ?? string.Empty;
        if (path.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _polls);
            Interlocked.Add(ref _pollTicks, ticks);
        }
        else if (e.Method == "POST" && path.StartsWith("/v1/phota/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _submits);
            Interlocked.Add(ref _submitTicks, ticks);
        }
        else if (e.Method == "GET" && !path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _downloads);
            Interlocked.Add(ref _downloadTicks, ticks);
        }
        else
        {
            Interlocked.Increment(ref _other);
        }
    }

    private static double Mean(long ticks, int count) => count == 0 ? 0 : Math.Round(TimeSpan.FromTicks(Volatile.Read(ref ticks)).TotalMilliseconds / count, 2);
}
