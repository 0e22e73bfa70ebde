namespace Phota.Emulator.Jobs;

/// <summary>
/// A studio job (every edit/generate/enhance/remix request is one; sync requests simply wait for
/// it). Its status is computed from its submit time and run time, never stored.
/// </summary>
internal sealed class Job
{
    /// <summary>Share of the run time an async job spends in <c>pending</c> before <c>running</c>.</summary>
    public const double PendingFraction = 0.1;

    public string Id { get; set; } = "";
    public string Operation { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public TimeSpan RunTime { get; set; }
    public bool IsAsync { get; set; }
    public string ResponseMode { get; set; } = "bytes";
    public string OutputFormat { get; set; } = "png";
    public List<OutputSize> Outputs { get; set; } = [];
    public Dictionary<string, int> KnownSubjects { get; set; } = new(StringComparer.Ordinal);
    public decimal Cost { get; set; }
    public string? ClientRequestId { get; set; }
    public string? CallbackUrl { get; set; }

    /// <summary>Injected infrastructure failure (<c>instance_died</c> or <c>dispatch_failed</c>), decided at submit.</summary>
    public string? FailCode { get; set; }

    /// <summary>A sync job that ran past the time limit (answered 504, refunded).</summary>
    public bool TimedOut { get; set; }

    /// <summary>Terminal bookkeeping done (refund of a failure, callback queued).</summary>
    public bool Settled { get; set; }

    public int CallbackAttempts { get; set; }
    public bool CallbackDelivered { get; set; }
    public bool CallbackAbandoned { get; set; }

    public DateTimeOffset CompletedAt => CreatedAt + RunTime;

    public bool IsTerminal(DateTimeOffset now) => TimedOut || now >= CompletedAt;

    public string Status(DateTimeOffset now)
    {
        if (TimedOut) return "failed";
        var elapsed = now - CreatedAt;
        if (elapsed >= RunTime) return FailCode is null ? "succeeded" : "failed";
        if (FailCode == "dispatch_failed") return "pending"; // never reached a worker
        return elapsed < RunTime * PendingFraction ? "pending" : "running";
    }

    public (string Code, string Message)? Error(DateTimeOffset now)
    {
        if (Status(now) != "failed") return null;
        if (TimedOut) return ("INTERNAL_ERROR", "The request exceeded the synchronous time limit; its cost was refunded.");
        return FailCode == "dispatch_failed"
            ? ("dispatch_failed", "The job could not be dispatched to a worker after the maximum number of attempts; its cost was refunded.")
            : ("instance_died", "The worker running the job stopped before it finished; its cost was refunded.");
    }
}

/// <summary>Pixel size of one output image.</summary>
internal readonly record struct OutputSize(int Width, int Height);
