using System.Net;
using System.Text.Json;
using Phota.Batches;
using Phota.Errors;
using Phota.Http;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Profiles;
using Phota.Sessions;
using Phota.Studio;

namespace Phota;

/// <summary>
/// The Phota API: one method per operation, plus the workflows the cmdlets run (submit → wait → save, batches,
/// profile waits, collecting journaled jobs). Cheap to create per call: connections are pooled per process.
/// Every failure is a <see cref="PhotaException"/> (or <see cref="OperationCanceledException"/> when cancelled).
/// </summary>
public sealed class PhotaClient : IDisposable
{
    private readonly ApiTransport _transport;
    private readonly JobSubmitter _submitter;
    private readonly JobPoller _poller;
    private readonly ResultDownloader _downloader;

    public PhotaClient(PhotaSession session, PhotaClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        Options = options ?? PhotaClientOptions.Default;
        Session = session;
        Journal = new JobJournal(Options.JournalPath ?? JobJournal.DefaultPath(), Options.TimeProvider);
        _transport = new ApiTransport(session, Options);
        _submitter = new JobSubmitter(_transport, Journal);
        _poller = new JobPoller(_transport, Journal);
        _downloader = new ResultDownloader(_transport, Journal);
    }

    public PhotaSession Session { get; }

    public PhotaClientOptions Options { get; }

    /// <summary>The local record of submitted jobs.</summary>
    public JobJournal Journal { get; }

    // ---- Studio: synchronous calls (the connection is held until the images are ready, up to 600 s) ----

    public Task<ApiResponse<StudioResponse>> EditAsync(EditRequest request, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAsync(request, responseMode, cancellationToken);

    public Task<ApiResponse<StudioResponse>> GenerateAsync(GenerateRequest request, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAsync(request, responseMode, cancellationToken);

    public Task<ApiResponse<StudioResponse>> EnhanceAsync(EnhanceRequest request, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAsync(request, responseMode, cancellationToken);

    public Task<ApiResponse<StudioResponse>> RemixAsync(RemixRequest request, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAsync(request, responseMode, cancellationToken);

    /// <summary>
    /// One synchronous studio call (<c>async: false</c>). Retried only when the server certainly did not run it
    /// (503, or no connection made). <paramref name="responseMode"/> defaults to urls (small responses).
    /// </summary>
    public Task<ApiResponse<StudioResponse>> SendSynchronousAsync(StudioRequest request, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAsync(request, responseMode, timeout: null, cancellationToken);

    /// <summary>
    /// One synchronous studio call with its own time limit. The most specific limit wins: <paramref name="timeout"/>,
    /// else the session's <see cref="PhotaSession.Timeout"/>, else <see cref="PhotaClientOptions.SyncAttemptTimeout"/>;
    /// the overall limit is raised to match, so a longer limit is never cut short.
    /// </summary>
    public async Task<ApiResponse<StudioResponse>> SendSynchronousAsync(StudioRequest request, ResponseMode? responseMode, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(asynchronous: false);
        var bodyFields = request.BodyFields() with { ResponseMode = responseMode ?? ResponseMode.Urls };
        var body = StudioRequestBody.Plan(JsonSerializer.SerializeToUtf8Bytes(bodyFields, PhotaJsonContext.Default.StudioBodyFields), request.ImageFields());
        var limit = timeout ?? Session.Timeout ?? Options.SyncAttemptTimeout;
        var apiRequest = new ApiRequest(HttpMethod.Post, _transport.ApiUri(request.Path), RequestKind.Unrepeatable)
        {
            CreateContent = body,
            AttemptTimeout = limit,
            OverallTimeout = limit > Options.OverallTimeout ? limit : null,
        };
        try
        {
            return await _transport.SendJsonAsync(apiRequest, PhotaJsonContext.Default.StudioResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (PhotaApiException e) when (e.StatusCode == HttpStatusCode.GatewayTimeout)
        {
            // The documented meaning of a synchronous 504: the work ran past the server's limit, was stopped, and its
            // reserved cost refunded. Running it the same way again would likely time out again.
            var detail = string.IsNullOrWhiteSpace(e.Detail) ? string.Empty : " " + e.Detail.Trim().TrimEnd('.') + ".";
            var requestId = e.RequestId is null ? string.Empty : ", request id " + e.RequestId;
            throw new PhotaApiException(ErrorKind.TimeLimitExceeded,
                $"The synchronous request ran past the server's time limit and was stopped; the API refunds its cost.{detail} (HTTP 504{requestId}).",
                e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e);
        }
    }

    // ---- Studio: asynchronous jobs (the default path) ----

    /// <summary>
    /// Submits a studio request as an async job (<c>async: true</c>, <c>response_mode: urls</c>, a new
    /// <c>client_request_id</c>), journaled before it is sent and with its job id before this returns.
    /// </summary>
    public Task<SubmittedJob> SubmitAsync(StudioRequest request, OutputOptions? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _submitter.SubmitAsync(request, output, clientRequestId: null, cancellationToken);
    }

    /// <summary>GET /v1/phota/jobs/{job_id}: one status check.</summary>
    public async Task<JobStatus> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        => (await _poller.GetAsync(jobId, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Polls a job until it succeeds (returned) or fails (<see cref="PhotaJobFailedException"/>).</summary>
    public async Task<JobStatus> WaitForJobAsync(string jobId, Action<JobStatus>? onStatus = null, CancellationToken cancellationToken = default)
        => (await WaitJournaledAsync(jobId, null, onStatus, null, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Polls a job for at most <paramref name="timeout"/> (instead of <see cref="PhotaClientOptions.JobWaitTimeout"/>);
    /// still running then is a <see cref="ErrorKind.Timeout"/> error (the job stays in the journal).
    /// </summary>
    public async Task<JobStatus> WaitForJobAsync(string jobId, TimeSpan timeout, Action<JobStatus>? onStatus = null, CancellationToken cancellationToken = default)
        => (await WaitJournaledAsync(jobId, null, onStatus, timeout, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Waits for a job by id, with what the journal knows of it (its idempotency key, unless
    /// <paramref name="clientRequestId"/> gives it, its shape and submit time).
    /// </summary>
    private Task<ApiResponse<JobStatus>> WaitJournaledAsync(
        string jobId, string? clientRequestId, Action<JobStatus>? onStatus, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var entry = Journal.Find(jobId);
        return _poller.WaitAsync(jobId, clientRequestId ?? entry?.ClientRequestId, ShapeOf(entry), SubmittedAtOf(entry), onStatus, timeout, cancellationToken);
    }

    private static JobShape? ShapeOf(JournalEntry? entry)
        => entry is null ? null : JobShape.Of(entry.Operation, entry.Request?.Fields, entry.NumOutputImages);

    /// <summary>
    /// When a journaled job started, as far as the poller is concerned: its job id was recorded (after the 202), or
    /// the intent before it; a job already seen finished is checked at once.
    /// </summary>
    private static DateTimeOffset? SubmittedAtOf(JournalEntry? entry) => entry?.State switch
    {
        null => null,
        JournalState.Submitted => entry.UpdatedAt,
        JournalState.Completed => DateTimeOffset.MinValue,
        _ => entry.CreatedAt,
    };

    /// <summary>
    /// The whole studio workflow: validate, submit (async), wait, save every output into
    /// <paramref name="output"/>. <paramref name="onStage"/> reports submitting / waiting / downloading.
    /// </summary>
    public async Task<IReadOnlyList<SavedImage>> SubmitAndSaveAsync(
        StudioRequest request, OutputOptions output, Action<StudioStage, SubmittedJob?>? onStage = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        onStage?.Invoke(StudioStage.Submitting, null);
        var job = await _submitter.SubmitAsync(request, output, clientRequestId: null, cancellationToken).ConfigureAwait(false);
        onStage?.Invoke(StudioStage.Waiting, job);
        var status = await _poller.WaitAsync(job.JobId, job.ClientRequestId, job.Shape, job.SubmittedAt, null, null, cancellationToken).ConfigureAwait(false);
        onStage?.Invoke(StudioStage.Downloading, job);
        return await SaveInternalAsync(request, job, status.Value, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The studio workflow in synchronous mode: one call that holds the connection, then save the outputs.</summary>
    public Task<IReadOnlyList<SavedImage>> SendSynchronousAndSaveAsync(
        StudioRequest request, OutputOptions output, ResponseMode? responseMode = null, CancellationToken cancellationToken = default)
        => SendSynchronousAndSaveAsync(request, output, responseMode, timeout: null, cancellationToken);

    /// <summary>The synchronous workflow with the call's own time limit (see <see cref="SendSynchronousAsync(StudioRequest, ResponseMode?, TimeSpan?, CancellationToken)"/>).</summary>
    public async Task<IReadOnlyList<SavedImage>> SendSynchronousAndSaveAsync(
        StudioRequest request, OutputOptions output, ResponseMode? responseMode, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var response = await SendSynchronousAsync(request, responseMode, timeout, cancellationToken).ConfigureAwait(false);
        return await _downloader.SaveAsync(response.Value, ResultOrigin.Of(request, job: null, response.RequestId), output, alreadySaved: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a job and saves its results into <paramref name="output"/>. With a journal entry, files are named as
    /// the original command would have named them and outputs already saved are skipped; an entry that never got its
    /// job id is first resubmitted with its original <c>client_request_id</c> (which returns the original job, not a
    /// new charge). To save into the directory the journal recorded, use <see cref="CollectAsync(JournalEntry, OutputOptions?, CancellationToken)"/>.
    /// </summary>
    public Task<IReadOnlyList<SavedImage>> ReceiveJobAsync(string jobId, OutputOptions output, CancellationToken cancellationToken = default)
        => ReceiveJobAsync(jobId, output, wait: true, cancellationToken);

    /// <summary>
    /// As <see cref="ReceiveJobAsync(string, OutputOptions, CancellationToken)"/>; with <paramref name="wait"/> false a
    /// job still pending or running is a <see cref="ErrorKind.JobNotFinished"/> error instead of a wait.
    /// </summary>
    public async Task<IReadOnlyList<SavedImage>> ReceiveJobAsync(string jobId, OutputOptions output, bool wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentNullException.ThrowIfNull(output);
        var entry = Journal.Find(jobId);
        if (entry is not null)
        {
            return await CollectAsync(entry, output, wait, cancellationToken).ConfigureAwait(false);
        }

        var status = await FinishedAsync(jobId, wait, null, cancellationToken).ConfigureAwait(false);
        return await _downloader.SaveAsync(
            status.Value.Result ?? new StudioResponse(), ResultOrigin.Of(status.Value, jobId, status.RequestId), output, alreadySaved: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Collects one journaled job: recover its id if needed, wait for it, save what is not saved yet into
    /// <paramref name="output"/>, or (null) the directory the journal recorded for it.
    /// </summary>
    public Task<IReadOnlyList<SavedImage>> CollectAsync(JournalEntry entry, OutputOptions? output = null, CancellationToken cancellationToken = default)
        => CollectAsync(entry, output, wait: true, cancellationToken);

    /// <summary>
    /// As <see cref="CollectAsync(JournalEntry, OutputOptions?, CancellationToken)"/>; with <paramref name="wait"/> false
    /// a job still pending or running is a <see cref="ErrorKind.JobNotFinished"/> error instead of a wait.
    /// </summary>
    public async Task<IReadOnlyList<SavedImage>> CollectAsync(JournalEntry entry, OutputOptions? output, bool wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var target = output ?? (entry.OutputDirectory is { } recorded ? new OutputOptions { Directory = recorded } : null)
            ?? throw new PhotaInputException(entry.JobId ?? entry.ClientRequestId, "has no output directory recorded in the journal.", "Pass the directory to save its results in.");
        if (entry.BaseUrl is not null && !string.Equals(entry.BaseUrl, Session.BaseUri.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
        {
            throw new PhotaInputException(entry.JobId ?? entry.ClientRequestId, $"was submitted to {entry.BaseUrl}, not {Session.BaseUri}.", "Connect to that base URL to collect it.");
        }

        var (jobId, status, requestId) = await FinishedAsync(entry, wait, null, cancellationToken).ConfigureAwait(false);
        return await _downloader.SaveAsync(
            status.Value.Result ?? new StudioResponse(), ResultOrigin.Of(entry, jobId, requestId ?? status.RequestId), target, entry.Files, cancellationToken).ConfigureAwait(false);
    }

    // ---- Batches ----

    /// <summary>
    /// Starts a batch: add items with <see cref="Batch.Add"/>, call <see cref="Batch.Complete"/>, and read
    /// results as they finish from <see cref="Batch.Results"/> on the caller's thread.
    /// </summary>
    public Batch StartBatch(BatchOptions options, CancellationToken cancellationToken = default)
        => new(this, options, cancellationToken);

    // ---- Webhooks ----

    /// <summary>GET /v1/phota/webhook-secret: the key for <see cref="Webhooks.WebhookSignature"/>.</summary>
    public async Task<string> GetWebhookSecretAsync(CancellationToken cancellationToken = default)
    {
        var request = new ApiRequest(HttpMethod.Get, _transport.ApiUri("v1/phota/webhook-secret"), RequestKind.Read);
        return (await _transport.SendJsonAsync(request, PhotaJsonContext.Default.WebhookSecretResponse, cancellationToken).ConfigureAwait(false)).Value.WebhookSigningSecret;
    }

    // ---- Profiles ----

    /// <summary>POST /v1/phota/profiles/add after checking the tier's image count, the tag and the URLs. Starts paid training.</summary>
    public async Task<AddProfileResponse> AddProfileAsync(AddProfileRequest request, CancellationToken cancellationToken = default)
    {
        ProfileRequestValidator.Validate(request);
        var json = JsonSerializer.SerializeToUtf8Bytes(request, PhotaJsonContext.Default.AddProfileRequest);
        var apiRequest = new ApiRequest(HttpMethod.Post, _transport.ApiUri("v1/phota/profiles/add"), RequestKind.Unrepeatable)
        {
            CreateContent = () => new ByteArrayContent(json) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } },
        };
        return (await _transport.SendJsonAsync(apiRequest, PhotaJsonContext.Default.AddProfileResponse, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>GET /v1/phota/profiles/ids, optionally filtered by tag.</summary>
    public async Task<IReadOnlyList<ProfileInfo>> ListProfilesAsync(string? tag = null, CancellationToken cancellationToken = default)
    {
        ProfileRequestValidator.ValidateTag(tag);

        var path = "v1/phota/profiles/ids" + (tag is null ? string.Empty : "?tag=" + Uri.EscapeDataString(tag));
        var request = new ApiRequest(HttpMethod.Get, _transport.ApiUri(path), RequestKind.Read);
        return (await _transport.SendJsonAsync(request, PhotaJsonContext.Default.ProfileIdsResponse, cancellationToken).ConfigureAwait(false)).Value.Profiles;
    }

    /// <summary>GET /v1/phota/profiles/{id}/status.</summary>
    public async Task<ProfileStatusResponse> GetProfileStatusAsync(string profileId, CancellationToken cancellationToken = default)
        => (await GetProfileStatusResponseAsync(profileId, cancellationToken).ConfigureAwait(false)).Value;

    private Task<ApiResponse<ProfileStatusResponse>> GetProfileStatusResponseAsync(string profileId, CancellationToken cancellationToken)
        => _transport.SendJsonAsync(new ApiRequest(HttpMethod.Get, ProfileUri(profileId, "/status"), RequestKind.Read), PhotaJsonContext.Default.ProfileStatusResponse, cancellationToken);

    /// <summary>GET /v1/phota/profiles/{id}/profile_picture, copied into <paramref name="destination"/>.</summary>
    public async Task GetProfilePictureAsync(string profileId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var request = new ApiRequest(HttpMethod.Get, ProfileUri(profileId, "/profile_picture"), RequestKind.Read) { Accept = "image/jpeg" };
        if (destination.CanSeek)
        {
            var start = destination.Position;
            await _transport.SendAsync(request, async (response, ct) =>
            {
                // A retried attempt starts the copy again from the beginning.
                destination.Position = start;
                destination.SetLength(start);
                await response.Content.CopyToAsync(destination, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _transport.SendAsync(request with { Kind = RequestKind.Unrepeatable }, async (response, ct) =>
            {
                await response.Content.CopyToAsync(destination, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves a profile's picture (JPEG) to <paramref name="path"/>, written to a temporary name first.</summary>
    public async Task<string> SaveProfilePictureAsync(string profileId, string path, FileCollision collision = FileCollision.Fail, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var request = new ApiRequest(HttpMethod.Get, ProfileUri(profileId, "/profile_picture"), RequestKind.Read)
        {
            Accept = "image/jpeg",
            AttemptTimeout = Options.TransferAttemptTimeout,
        };
        var temp = (await _transport.SendAsync(request, async (response, ct) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return await ResultFileWriter.WriteTempAsync(body, directory, Path.GetFileName(full), Options.MaxDownloadBytes, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false)).Value;
        return ResultFileWriter.Commit(temp, directory, Path.GetFileName(full), OutputFormat.Jpg, collision);
    }

    /// <summary>DELETE /v1/phota/profiles/{id}: permanent.</summary>
    public async Task<DeleteProfileResponse> DeleteProfileAsync(string profileId, CancellationToken cancellationToken = default)
    {
        var request = new ApiRequest(HttpMethod.Delete, ProfileUri(profileId, string.Empty), RequestKind.Unrepeatable);
        return (await _transport.SendJsonAsync(request, PhotaJsonContext.Default.DeleteProfileResponse, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Waits for several profiles at once and yields each as it finishes: READY (no error), ERROR/INACTIVE (error
    /// with the server's message) or still training at <paramref name="timeout"/> (timeout error).
    /// </summary>
    public IAsyncEnumerable<ProfileWaitResult> WaitForProfilesAsync(
        IEnumerable<string> profileIds, TimeSpan? timeout = null, Action<ProfileWaitProgress>? progress = null, CancellationToken cancellationToken = default)
        => new ProfileWaiter(_transport, GetProfileStatusResponseAsync, ct => ListProfilesAsync(null, ct)).WaitAsync(profileIds, timeout, progress, cancellationToken);

    /// <summary>A cheap authenticated call (list profiles) to check the key and base URL.</summary>
    public async Task TestConnectionAsync(CancellationToken cancellationToken = default)
        => await ListProfilesAsync(null, cancellationToken).ConfigureAwait(false);

    public void Dispose() => _transport.Dispose();

    /// <summary>One status check of an existing job (recording in the journal a finish it reveals).</summary>
    internal async Task<JobStatus> CheckInternalAsync(string jobId, JournalEntry? entry, CancellationToken cancellationToken)
        => (await _poller.CheckAsync(jobId, entry, cancellationToken).ConfigureAwait(false)).Value;

    internal Task<SubmittedJob> SubmitInternalAsync(StudioRequest request, OutputOptions output, CancellationToken cancellationToken)
        => _submitter.SubmitAsync(request, output, null, cancellationToken);

    internal Task<ApiResponse<JobStatus>> WaitInternalAsync(SubmittedJob job, TimeSpan? timeout, CancellationToken cancellationToken)
        => _poller.WaitAsync(job.JobId, job.ClientRequestId, job.Shape, job.SubmittedAt, null, timeout, cancellationToken);

    internal Task<ApiResponse<JobStatus>> WaitInternalAsync(string jobId, string? clientRequestId, TimeSpan? timeout, CancellationToken cancellationToken)
        => WaitJournaledAsync(jobId, clientRequestId, null, timeout, cancellationToken);

    internal Task<IReadOnlyList<SavedImage>> SaveInternalAsync(StudioRequest request, SubmittedJob job, JobStatus status, OutputOptions output, CancellationToken cancellationToken)
        => _downloader.SaveAsync(status.Result ?? new StudioResponse(), ResultOrigin.Of(request, job, requestId: null), output, alreadySaved: null, cancellationToken);

    /// <summary>
    /// A job's results as their signed download URLs, downloading nothing: waits for the job (with
    /// <paramref name="wait"/> false, one still running is a <see cref="ErrorKind.JobNotFinished"/> error), recovers a
    /// journaled submit's lost job id first, and records in the journal that the results were handed over.
    /// </summary>
    public async Task<IReadOnlyList<ResultLink>> GetResultLinksAsync(string jobId, bool wait, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var entry = Journal.Find(jobId);
        if (entry is not null)
        {
            var (finishedId, status, requestId) = await FinishedAsync(entry, wait, timeout, cancellationToken).ConfigureAwait(false);
            return Link(status.Value, ResultOrigin.Of(entry, finishedId, requestId ?? status.RequestId));
        }

        var unjournaled = await FinishedAsync(jobId, wait, timeout, cancellationToken).ConfigureAwait(false);
        return Link(unjournaled.Value, ResultOrigin.Of(unjournaled.Value, jobId, unjournaled.RequestId));
    }

    /// <summary>The links of a job a batch submitted and waited for.</summary>
    internal IReadOnlyList<ResultLink> LinkInternal(StudioRequest request, SubmittedJob job, JobStatus status)
        => Link(status, ResultOrigin.Of(request, job, requestId: null));

    /// <summary>A synchronous call whose results are returned as links (response_mode urls) rather than saved.</summary>
    internal async Task<IReadOnlyList<ResultLink>> LinkSynchronousAsync(StudioRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var response = await SendSynchronousAsync(request, ResponseMode.Urls, timeout, cancellationToken).ConfigureAwait(false);
        return ResultLink.From(response.Value, Options.TimeProvider.GetUtcNow(), ResultOrigin.Of(request, job: null, response.RequestId));
    }

    private IReadOnlyList<ResultLink> Link(JobStatus status, ResultOrigin origin)
    {
        var links = ResultLink.From(status.Result, status.CompletedAt ?? Options.TimeProvider.GetUtcNow(), origin);
        if (origin.ClientRequestId is string clientRequestId)
        {
            try
            {
                Journal.Append(new JournalRecord { Type = JournalRecordTypes.Linked, Time = Options.TimeProvider.GetUtcNow(), ClientRequestId = clientRequestId }, durable: false);
            }
            catch (PhotaException e)
            {
                // The links are in hand; the job merely stays listed as outstanding.
                _transport.Log(new PhotaLogEvent { Kind = PhotaLogEventKind.Info, Subject = status.JobId, Message = $"Job {status.JobId}'s links could not be recorded in the journal ({e.Message})." });
            }
        }

        return links;
    }

    /// <summary>
    /// The finished status of a journaled job: one that failed or expired is refused, a submit that never got its job
    /// id is sent again with its client_request_id (the original job, no new charge), and without
    /// <paramref name="wait"/> one still running is a <see cref="ErrorKind.JobNotFinished"/> error.
    /// </summary>
    private async Task<(string JobId, ApiResponse<JobStatus> Status, string? RequestId)> FinishedAsync(
        JournalEntry entry, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ThrowIfEnded(entry);
        var jobId = entry.JobId;
        string? requestId = null;
        var shape = ShapeOf(entry);
        if (jobId is null)
        {
            var recovered = await _submitter.ResubmitAsync(entry, cancellationToken).ConfigureAwait(false);
            (jobId, requestId, shape) = (recovered.JobId, recovered.RequestId, recovered.Shape);
        }

        if (!wait && entry.State != JournalState.Completed)
        {
            await ThrowIfNotFinishedAsync(jobId, entry.ClientRequestId, cancellationToken).ConfigureAwait(false);
        }

        var status = await _poller.WaitAsync(jobId, entry.ClientRequestId, shape, SubmittedAtOf(entry), null, timeout, cancellationToken).ConfigureAwait(false);
        return (jobId, status, requestId);
    }

    /// <summary>The finished status of a job the journal does not know.</summary>
    private async Task<ApiResponse<JobStatus>> FinishedAsync(string jobId, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!wait)
        {
            await ThrowIfNotFinishedAsync(jobId, null, cancellationToken).ConfigureAwait(false);
        }

        return await _poller.WaitAsync(jobId, null, null, null, null, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A journaled job that failed or expired has nothing left to collect.</summary>
    private static void ThrowIfEnded(JournalEntry entry)
    {
        if (entry.State is JournalState.Failed or JournalState.Expired)
        {
            var what = entry.JobId is null ? $"Submit {entry.ClientRequestId}" : $"Job {entry.JobId}";
            throw new PhotaException(entry.State == JournalState.Failed ? ErrorKind.JobFailed : ErrorKind.ResultExpired,
                $"{what} {(entry.State == JournalState.Failed ? "failed" : "expired")}: {entry.Message}") { JobId = entry.JobId };
        }
    }

    private async Task ThrowIfNotFinishedAsync(string jobId, string? clientRequestId, CancellationToken cancellationToken)
    {
        var status = (await _poller.GetAsync(jobId, clientRequestId, cancellationToken).ConfigureAwait(false)).Value;
        if (!status.IsFinished)
        {
            throw new PhotaException(ErrorKind.JobNotFinished, $"Job {jobId} is still {status.Status}; nothing to receive yet.") { JobId = jobId };
        }
    }

    private Uri ProfileUri(string profileId, string suffix)
    {
        if (string.IsNullOrWhiteSpace(profileId))
        {
            throw new PhotaInputException("profile_id", "is empty.", "Pass the id of one of the account's profiles.");
        }

        return _transport.ApiUri("v1/phota/profiles/" + Uri.EscapeDataString(profileId.Trim().Trim('[', ']')) + suffix);
    }
}
