using System.Collections.Concurrent;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>What makes jobs take about as long as each other: operation, base model, resolution and output count.</summary>
internal readonly record struct JobShape(string Operation, string? Model, string? Resolution, int Outputs)
{
    public static JobShape Of(StudioOperation operation, StudioBodyFields? bodyFields, int outputs)
        => new(operation.Value, bodyFields?.BaseModel?.Value, bodyFields?.Resolution?.Value, bodyFields?.NumOutputImages ?? outputs);
}

/// <summary>
/// The server-measured run times (<c>completed_at - created_at</c>) of the session's recent jobs, per
/// <see cref="JobShape"/>: what the poller aims its first check at. Thread-safe; a window of the most recent
/// <see cref="Window"/> per shape, so a service that speeds up or slows down is followed.
/// </summary>
internal sealed class RunTimeHistory
{
    public const int Window = 32;

    private readonly ConcurrentDictionary<JobShape, Samples> _byShape = new();

    public void Record(JobShape shape, TimeSpan runTime)
    {
        if (runTime <= TimeSpan.Zero)
        {
            return;
        }

        var samples = _byShape.GetOrAdd(shape, _ => new Samples());
        lock (samples)
        {
            samples.Recent[samples.Seen % Window] = runTime;
            samples.Seen++;
        }
    }

    /// <summary>The shortest recent run time of <paramref name="shape"/> and how many were seen (null, 0 when none).</summary>
    public (TimeSpan? Shortest, int Seen) Of(JobShape shape)
    {
        if (!_byShape.TryGetValue(shape, out var samples))
        {
            return (null, 0);
        }

        lock (samples)
        {
            var count = Math.Min(samples.Seen, Window);
            return count == 0 ? (null, 0) : (samples.Recent.Take(count).Min(), samples.Seen);
        }
    }

    private sealed class Samples
    {
        public readonly TimeSpan[] Recent = new TimeSpan[Window];
        public int Seen;
    }
}
