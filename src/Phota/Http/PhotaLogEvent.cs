using System.Globalization;
using System.Net;

namespace Phota.Http;

/// <summary>What a log event reports.</summary>
public enum PhotaLogEventKind
{
    /// <summary>One HTTP request and its answer (or failure).</summary>
    HttpExchange,
    /// <summary>A retry is about to wait and try again.</summary>
    Retry,
    /// <summary>The client waits before checking a job or profile again.</summary>
    Wait,
    /// <summary>A job-journal record or other local event.</summary>
    Info,
}

/// <summary>One observable step: an HTTP exchange, a retry, a wait. Never contains the API key.</summary>
public sealed record PhotaLogEvent
{
    public required PhotaLogEventKind Kind { get; init; }

    public string? Method { get; init; }

    /// <summary>Path of the request without query string (signed download URLs carry tokens in their query).</summary>
    public string? Path { get; init; }

    public HttpStatusCode? StatusCode { get; init; }

    public string? RequestId { get; init; }

    public TimeSpan? Elapsed { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, ...</summary>
    public int Attempt { get; init; }

    /// <summary>Why a retry happens ("503", "connection error", "attempt timeout").</summary>
    public string? Reason { get; init; }

    /// <summary>The delay before the retry or the next poll.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>The job or profile being waited on.</summary>
    public string? Subject { get; init; }

    public string? Message { get; init; }

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return Kind switch
        {
            PhotaLogEventKind.HttpExchange => string.Format(c,
                "{0} {1} -> {2} in {3:0} ms (attempt {4}{5}){6}",
                Method, Path, StatusCode is { } s ? ((int)s).ToString(c) : Reason ?? "failed",
                Elapsed?.TotalMilliseconds ?? 0, Attempt,
                RequestId is null ? string.Empty : ", request id " + RequestId,
                Message is null ? string.Empty : ": " + Message),
            PhotaLogEventKind.Retry => string.Format(c,
                "Retrying {0} {1} after {2:0.###} s (attempt {3} failed: {4})", Method, Path, Delay?.TotalSeconds ?? 0, Attempt, Reason),
            PhotaLogEventKind.Wait => string.Format(c,
                "Waiting {0:0.###} s for {1}{2}", Delay?.TotalSeconds ?? 0, Subject, Message is null ? string.Empty : " (" + Message + ")"),
            _ => Message ?? string.Empty,
        };
    }
}
