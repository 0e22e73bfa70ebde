using Phota.Errors;
using Phota.Http;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// Checks async jobs and waits for them with a plain loop (not a retry policy), timed by what the client knows: when
/// the job was submitted, what jobs of the same shape took in this session, and any hint the server gives (which
/// wins in both directions: it knows when the result will be ready). Records the outcome in the journal.
/// </summary>
internal sealed class JobPoller(ApiTransport transport, JobJournal journal)
{
    /// <summary>One status check of a journaled job: an expired result (410) is recorded, so the job stops being outstanding.</summary>
    public async Task<ApiResponse<JobStatus>> GetAsync(string jobId, string? clientRequestId, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (PhotaApiException e) when (e.Kind == ErrorKind.ResultExpired && clientRequestId is not null)
        {
            Record(clientRequestId, JournalRecordTypes.Expired, "expired", e.Message);
            throw;
        }
    }

    public async Task<ApiResponse<JobStatus>> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var request = new ApiRequest(HttpMethod.Get, transport.ApiUri("v1/phota/jobs/" + Uri.EscapeDataString(jobId)), RequestKind.Read);
        try
        {
            return await transport.SendJsonAsync(request, PhotaJsonContext.Default.JobStatus, cancellationToken).ConfigureAwait(false);
        }
        catch (PhotaApiException e) when (e.Kind is ErrorKind.ResultExpired)
        {
            throw new PhotaApiException(e.Kind,
                $"Job {jobId}'s result has expired (results are kept 24 hours). (request id {e.RequestId})",
                e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e) { JobId = jobId };
        }
        catch (PhotaApiException e) when (e.Kind is ErrorKind.NotFound)
        {
            throw NotFound(jobId, e);
        }
    }

    /// <summary>
    /// A 404 for a job id (NOT_FOUND: an unknown job, or an expired result). If the journal says this key submitted it
    /// and it finished, or was submitted longer ago than results are kept, its result expired: recorded as expired.
    /// Otherwise the server has lost it: recorded as a failure (not resubmitted: the submit was accepted, and
    /// submitting again would charge again). A job submitted with another key stays outstanding for that key.
    /// </summary>
    private PhotaApiException NotFound(string jobId, PhotaApiException e)
    {
        JournalEntry? entry = null;
        try
        {
            entry = journal.Find(jobId);
        }
        catch (PhotaException)
        {
            // An unreadable journal only means the answer is reported as it is.
        }

        string message;
        var cause = ErrorCause.None;
        var now = transport.Options.TimeProvider.GetUtcNow();
        if (entry?.KeyFingerprint is { } mine && mine == transport.Session.KeyFingerprint()
            && (entry.State == JournalState.Completed || now - entry.CreatedAt >= JobJournal.ResultLifetime))
        {
            // NOT_FOUND also means "an expired job result": a job known to have finished, or submitted longer ago than
            // results are kept, has expired rather than been lost.
            message = $"Job {jobId} is no longer available on the server (request id {e.RequestId}): it was submitted {(now - entry.CreatedAt).TotalHours:0} hours ago and results are kept 24 hours. It is marked expired in the journal.";
            Record(entry.ClientRequestId, JournalRecordTypes.Expired, "expired", message);
            return new PhotaApiException(ErrorKind.ResultExpired, message, e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e) { JobId = jobId };
        }

        if (entry?.KeyFingerprint is { } submittedWith && submittedWith == transport.Session.KeyFingerprint())
        {
            message = $"The Phota API no longer knows job {jobId}, which this API key submitted (request id {e.RequestId}): the job was lost on the server. It is marked failed in the journal.";
            cause = ErrorCause.JobLost;
            Record(entry.ClientRequestId, JournalRecordTypes.Failed, "lost", message);
        }
        else if (entry?.KeyFingerprint is not null)
        {
            message = $"Job {jobId} was not found for this API key (request id {e.RequestId}); it was submitted with a different key.";
            cause = ErrorCause.SubmittedWithOtherKey;
        }
        else
        {
            message = $"Job {jobId} was not found: {e.Detail} (request id {e.RequestId})";
        }

        return new PhotaApiException(e.Kind, message, e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e) { JobId = jobId, Cause = cause };
    }

    /// <summary>
    /// Waits for a job: checks when the schedule says (<see cref="PhotaClientOptions.PollSchedule"/>, told how long the
    /// job has run since <paramref name="submittedAt"/> and what jobs of its <paramref name="shape"/> took in this
    /// session), or when a running job's status asks (<c>retry-after-ms</c> / <c>Retry-After</c> win); two checks of
    /// the job are never closer than <see cref="PhotaClientOptions.MinPollDelay"/>, and every check takes its turn
    /// under the session's <see cref="PhotaClientOptions.MaxPollsPerSecond"/>. A succeeded job's server run time is
    /// learned for the next jobs of its shape.
    /// </summary>
    public async Task<ApiResponse<JobStatus>> WaitAsync(
        string jobId, string? clientRequestId, JobShape? shape, DateTimeOffset? submittedAt,
        Action<JobStatus>? onStatus, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var options = transport.Options;
        var time = options.TimeProvider;
        var polling = transport.Session.Polling;
        var limit = timeout ?? options.JobWaitTimeout;
        var began = time.GetUtcNow();
        var deadline = began + limit;
        var since = submittedAt is { } submitted && submitted <= began ? submitted : began;
        var polls = 0;
        long? lastSent = null;
        ApiResponse<JobStatus>? last = null;
        while (true)
        {
            var delay = NextDelay(shape, since, polls, last?.RetryAfter);
            if (last is null && time.GetUtcNow() + delay > deadline)
            {
                // The first check is made by the deadline whatever the schedule expects.
                delay = deadline > time.GetUtcNow() ? deadline - time.GetUtcNow() : TimeSpan.Zero;
            }
            else if (last is not null && time.GetUtcNow() + delay > deadline)
            {
                throw new PhotaException(ErrorKind.Timeout,
                    $"Job {jobId} was still {last.Value.Status} after {limit.TotalSeconds:0} s. It keeps running on the server and is in the journal.")
                { JobId = jobId };
            }

            if (delay > TimeSpan.Zero)
            {
                transport.Log(new PhotaLogEvent { Kind = PhotaLogEventKind.Wait, Subject = "job " + jobId, Delay = delay, Message = last?.Value.Status.Value ?? "submitted" });
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }

            await polling.Throttle.WaitTurnAsync(time, options.MaxPollsPerSecond, cancellationToken).ConfigureAwait(false);
            if (lastSent is { } previous && time.GetElapsedTime(previous) is var gap && gap < options.MinPollDelay)
            {
                // A timer may fire a few ms early; the minimum gap between two checks is a promise.
                await Task.Delay(options.MinPollDelay - gap, time, cancellationToken).ConfigureAwait(false);
            }

            lastSent = time.GetTimestamp();
            var status = await GetAsync(jobId, clientRequestId, cancellationToken).ConfigureAwait(false);
            polls++;
            last = status;

            onStatus?.Invoke(status.Value);
            if (status.Value.Status == JobState.Succeeded)
            {
                if ((shape ?? ShapeOf(status.Value)) is { } learned && status.Value.CompletedAt is { } completed)
                {
                    polling.RunTimes.Record(learned, completed - status.Value.CreatedAt);
                }

                RecordOutcome(clientRequestId, status.Value);
                return status;
            }

            if (status.Value.Status == JobState.Failed)
            {
                RecordOutcome(clientRequestId, status.Value);
                var (code, message) = FailureOf(status.Value);
                throw new PhotaJobFailedException(jobId, code, message);
            }

            shape ??= ShapeOf(status.Value);
        }
    }

    /// <summary>The wait before the next check, from what the session learned about jobs of this shape.</summary>
    private TimeSpan NextDelay(JobShape? shape, DateTimeOffset since, int polls, TimeSpan? hint)
    {
        var options = transport.Options;
        var (shortest, seen) = shape is { } known ? transport.Session.Polling.RunTimes.Of(known) : (null, 0);
        var context = new PollContext { Elapsed = options.TimeProvider.GetUtcNow() - since, Polls = polls, ShortestRunTime = shortest, RunTimesSeen = seen };
        return PollRules.NextDelay(options, options.PollSchedule, context, hint);
    }

    /// <summary>A job known only by its id: its status names the operation (model and resolution unknown, one output assumed).</summary>
    private static JobShape? ShapeOf(JobStatus status) => status.Operation.IsKnown ? JobShape.Of(status.Operation, null, 1) : null;

    /// <summary>
    /// One status check of a job; a finish it reveals for a journaled job not yet known to have finished is recorded,
    /// so the journal's state agrees with the status the caller shows.
    /// </summary>
    public async Task<ApiResponse<JobStatus>> CheckAsync(string jobId, JournalEntry? entry, CancellationToken cancellationToken)
    {
        var status = await GetAsync(jobId, entry?.ClientRequestId, cancellationToken).ConfigureAwait(false);
        if (entry is { State: JournalState.Intent or JournalState.Submitted })
        {
            RecordOutcome(entry.ClientRequestId, status.Value);
        }

        return status;
    }

    /// <summary>Records a finished job's outcome (completed, or failed with its code and message) in the journal; nothing for a job still running.</summary>
    private void RecordOutcome(string? clientRequestId, JobStatus status)
    {
        if (clientRequestId is null)
        {
            return;
        }

        if (status.Status == JobState.Succeeded)
        {
            Record(clientRequestId, JournalRecordTypes.Completed, null, null);
        }
        else if (status.Status == JobState.Failed)
        {
            var (code, message) = FailureOf(status);
            Record(clientRequestId, JournalRecordTypes.Failed, code, message);
        }
    }

    /// <summary>A failed job's error code and message, redacted.</summary>
    private (string? Code, string Message) FailureOf(JobStatus status)
    {
        var error = status.Error;
        return (error?.Code is null ? null : transport.Session.Redact(error.Code), transport.Session.Redact(error?.Message ?? "no reason given"));
    }

    private void Record(string clientRequestId, string type, string? code, string? message)
    {
        try
        {
            journal.Append(new JournalRecord
            {
                Type = type,
                Time = transport.Options.TimeProvider.GetUtcNow(),
                ClientRequestId = clientRequestId,
                ErrorCode = code,
                Message = message,
            }, durable: false);
        }
        catch (PhotaException)
        {
            // The job id is already journaled; a lost status line only means collect checks the job again.
        }
    }
}
