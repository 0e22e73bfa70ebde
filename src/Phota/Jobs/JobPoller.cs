using Phota.Errors;
using Phota.Http;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// Waits for an async job with a plain loop (not a retry policy): checks after 1, 1, 2, 2, 3, 5 s, then every 5 s.
/// When the server says when to look again (Retry-After on a running job), that wins in both directions: it knows
/// when the result will be ready, so a short job is collected on time and a long one costs few requests.
/// Records the outcome in the journal.
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
                $"Job {jobId}'s result has expired (results are kept 24 hours); submit it again. (request id {e.RequestId})",
                e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e) { JobId = jobId, Hint = "Submit it again." };
        }
        catch (PhotaApiException e) when (e.Kind is ErrorKind.NotFound)
        {
            throw NotFound(jobId, e);
        }
    }

    /// <summary>
    /// A 404 for a job id. If the journal says this key submitted it, the server has lost it: that is recorded as a
    /// failure (not resubmitted: the submit was accepted, and submitting again would charge again). A job submitted
    /// with another key stays outstanding for that key.
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

        string message, hint;
        if (entry?.KeyFingerprint is { } submittedWith && submittedWith == transport.Session.KeyFingerprint())
        {
            message = $"The Phota API no longer knows job {jobId}, which this API key submitted (request id {e.RequestId}): the job was lost on the server. It is marked failed in the journal.";
            hint = "Check the account's charges with Phota support (quote the request id), and run the command again if you still need the result.";
            Record(entry.ClientRequestId, JournalRecordTypes.Failed, "lost", message);
        }
        else if (entry?.KeyFingerprint is not null)
        {
            message = $"Job {jobId} was not found for this API key (request id {e.RequestId}); it was submitted with a different key.";
            hint = "Connect with the key that submitted it to collect it.";
        }
        else
        {
            message = $"Job {jobId} was not found: {e.Detail} (request id {e.RequestId})";
            hint = "Check the job id (Get-PhotaJob lists the journaled ones) and that this is the API key that submitted it.";
        }

        return new PhotaApiException(e.Kind, message + " " + hint, e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e) { JobId = jobId, Hint = hint };
    }

    public async Task<ApiResponse<JobStatus>> WaitAsync(
        string jobId, string? clientRequestId, Action<JobStatus>? onStatus, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var options = transport.Options;
        var time = options.TimeProvider;
        var limit = timeout ?? options.JobWaitTimeout;
        var deadline = time.GetUtcNow() + limit;
        var poll = 0;
        while (true)
        {
            var delay = poll < options.PollDelays.Count ? options.PollDelays[poll] : options.PollInterval;
            poll++;
            var status = await GetAsync(jobId, clientRequestId, cancellationToken).ConfigureAwait(false);

            onStatus?.Invoke(status.Value);
            if (status.Value.Status == JobState.Succeeded)
            {
                if (clientRequestId is not null)
                {
                    Record(clientRequestId, JournalRecordTypes.Completed, null, null);
                }

                return status;
            }

            if (status.Value.Status == JobState.Failed)
            {
                var error = status.Value.Error;
                var code = error?.Code is null ? null : transport.Session.Redact(error.Code);
                var message = transport.Session.Redact(error?.Message ?? "no reason given");
                if (clientRequestId is not null)
                {
                    Record(clientRequestId, JournalRecordTypes.Failed, code, message);
                }

                throw new PhotaJobFailedException(jobId, code, message);
            }

            if (status.RetryAfter is { } asked)
            {
                delay = asked > options.MaxRetryAfter ? options.MaxRetryAfter
                    : asked < options.MinPollDelay ? options.MinPollDelay
                    : asked;
            }

            if (time.GetUtcNow() + delay > deadline)
            {
                throw new PhotaException(ErrorKind.Timeout,
                    $"Job {jobId} was still {status.Value.Status} after {limit.TotalSeconds:0} s. It keeps running on the server and is in the journal: collect it later with Get-PhotaJob | Receive-PhotaJob.")
                { JobId = jobId, Hint = "Collect it later with Get-PhotaJob | Receive-PhotaJob." };
            }

            transport.Log(new PhotaLogEvent { Kind = PhotaLogEventKind.Wait, Subject = "job " + jobId, Delay = delay, Message = status.Value.Status.Value });
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
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
