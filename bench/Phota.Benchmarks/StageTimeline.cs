using System.Collections.Concurrent;
using System.Diagnostics;
using Phota.Batches;
using Phota.Jobs;

namespace Phota.Benchmarks;

/// <summary>
/// When each batch item entered each stage (client clock), joined afterwards with the server's own timestamps of its
/// job (<c>created_at</c>, <c>completed_at</c>, microseconds) to split a slot's time into: the client's work before the
/// server has the job, the server's fixed work, and the delay until the client sees the job finished.
/// </summary>
internal sealed class StageTimeline
{
    private readonly ConcurrentDictionary<BatchItem, long[]> _times = new();
    private readonly DateTimeOffset _anchorUtc = DateTimeOffset.UtcNow;
    private readonly long _anchor = Stopwatch.GetTimestamp();

    public void OnStage(BatchItem item, StudioStage stage)
    {
        var index = stage switch
        {
            StudioStage.Submitting => 0,
            StudioStage.Waiting => 1,
            StudioStage.Downloading => 2,
            StudioStage.Done => 3,
            _ => -1,
        };
        if (index >= 0)
        {
            _times.GetOrAdd(item, _ => new long[4])[index] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Stage times of the finished items: submit start, submit returned, saving started, saved.</summary>
    public IReadOnlyList<long[]> Finished => _times.Values.Where(t => t[3] != 0).ToList();

    public long[]? Of(BatchItem item) => _times.TryGetValue(item, out var t) ? t : null;

    /// <summary>A client timestamp on the UTC clock the emulator stamps jobs with (same machine).</summary>
    public DateTimeOffset Utc(long timestamp) => _anchorUtc + Stopwatch.GetElapsedTime(_anchor, timestamp);

    public static double Ms(long from, long to) => from == 0 || to == 0 ? 0 : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>
    /// The split of one run. <paramref name="server"/> holds, per finished item, its stage times and the server's
    /// created/completed timestamps for its job.
    /// </summary>
    public StageBreakdown Breakdown(
        IReadOnlyList<(long[] Times, DateTimeOffset Created, DateTimeOffset Completed)> server, int n, int concurrency, long started, long ended, RequestTally tally)
    {
        var all = Finished;
        var lead = server.Select(s => (s.Created - Utc(s.Times[0])).TotalMilliseconds).ToList();
        var ack = server.Select(s => (Utc(s.Times[1]) - s.Created).TotalMilliseconds).ToList();
        var detect = server.Select(s => (Utc(s.Times[2]) - s.Completed).TotalMilliseconds).ToList();
        var work = server.Select(s => (s.Completed - s.Created).TotalMilliseconds).ToList();
        var slot = all.Select(t => Ms(t[0], t[2])).ToList();
        var submit = all.Select(t => Ms(t[0], t[1])).ToList();
        var rounds = (int)Math.Ceiling(n / (double)concurrency);
        var firstSubmit = all.Count == 0 ? started : all.Min(t => t[0]);
        var lastSeen = all.Count == 0 ? ended : all.Max(t => t[2]);
        return new StageBreakdown
        {
            Rounds = rounds,
            MeanSlotMs = Mean(slot),
            MeanSubmitMs = Mean(submit),
            MeanSubmitHttpMs = tally.MeanSubmitMs,
            MeanSubmitLocalMs = Math.Round(Math.Max(0, Mean(submit) - tally.MeanSubmitMs), 2),
            MeanLeadMs = Mean(lead),
            P90LeadMs = Percentile(lead, 0.9),
            MeanServerWorkMs = Mean(work),
            MeanAckMs = Mean(ack),
            MeanDetectMs = Mean(detect),
            P90DetectMs = Percentile(detect, 0.9),
            MeanPollHttpMs = tally.MeanPollMs,
            MeanDownloadHttpMs = tally.MeanDownloadMs,
            StartMs = Math.Round(Ms(started, firstSubmit), 1),
            TailMs = Math.Round(Ms(lastSeen, ended), 1),
            PollWaits = tally.Waits,
            FlooredPollWaits = tally.ShortWaits,
            JobsTimed = server.Count,
        };
    }

    private static double Mean(IReadOnlyCollection<double> values) => values.Count == 0 ? 0 : Math.Round(values.Average(), 2);

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 2);
    }
}
