using System.Security.Cryptography;
using System.Text.Json;
using Phota.Errors;
using Phota.Http;
using Phota.Images;
using Phota.Models;
using Phota.Studio;

namespace Phota.Jobs;

/// <summary>
/// Submits studio requests asynchronously with the request's <c>client_request_id</c> (or a generated one), writing the journal's intent
/// record before the request is sent (nothing is sent if it cannot be written) and the job id as soon as it arrives.
/// </summary>
internal sealed class JobSubmitter(ApiTransport transport, JobJournal journal)
{
    public static string NewClientRequestId() => "phota-ps-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public async Task<SubmittedJob> SubmitAsync(StudioRequest request, OutputOptions? output, string? clientRequestId, CancellationToken cancellationToken)
    {
        request.Validate(asynchronous: true);
        // Cancelled before anything was recorded or sent: leave no intent behind that a later collect would submit.
        cancellationToken.ThrowIfCancellationRequested();
        var id = clientRequestId ?? request.ClientRequestId ?? NewClientRequestId();
        var bodyFields = request.BodyFields() with
        {
            Async = true,
            ResponseMode = ResponseMode.Urls,
            ClientRequestId = id,
            CallbackUrl = request.CallbackUrl,
        };
        var stem = OutputNaming.Stem(request.Operation, request.InputImages, request.PromptText);
        var imageFields = request.ImageFields();
        var inputs = request.InputImages.Select(i => i.Description).ToList();
        var outputDirectory = output?.Directory is { } dir ? Path.GetFullPath(dir) : null;
        var now = transport.Options.TimeProvider.GetUtcNow();
        journal.Append(new JournalRecord
        {
            Type = JournalRecordTypes.Intent,
            Time = now,
            ClientRequestId = id,
            Operation = request.Operation.Value,
            BaseUrl = transport.Session.BaseUri.AbsoluteUri,
            Inputs = inputs,
            Request = Recoverable(bodyFields, imageFields),
            OutputDirectory = outputDirectory,
            Source = inputs.Count > 0 ? inputs[0] : request.PromptText,
            Key = transport.Session.KeyFingerprint(),
            OutputStem = stem,
            OutputFormat = request.OutputFormat.Value,
            NumOutputImages = request.NumOutputImages,
        }, durable: true);

        ApiResponse<JobHandle> handle;
        try
        {
            handle = await SendAsync(request.Path, bodyFields, imageFields, cancellationToken).ConfigureAwait(false);
        }
        catch (PhotaException e) when (e.CertainlyNotRun)
        {
            // The server refused it (or never received it): no job exists. Record that, so collecting never submits
            // it again later and charges for a request the caller saw fail.
            RecordRefused(id, e);
            throw;
        }

        return Record(id, request.Operation, handle, stem, request.OutputFormat, request.NumOutputImages, inputs, outputDirectory, JobShape.Of(request.Operation, bodyFields, request.NumOutputImages));
    }

    private void RecordRefused(string clientRequestId, PhotaException error)
    {
        try
        {
            journal.Append(new JournalRecord
            {
                Type = JournalRecordTypes.Failed,
                Time = transport.Options.TimeProvider.GetUtcNow(),
                ClientRequestId = clientRequestId,
                ErrorCode = error is PhotaApiException { Code: { } code } ? code : error.Kind.ToString(),
                Message = "The submit was refused and no job was created: " + error.Message,
            }, durable: true);
        }
        catch (PhotaException e)
        {
            transport.Log(new PhotaLogEvent
            {
                Kind = PhotaLogEventKind.Info, Subject = clientRequestId,
                Message = $"The refused submit {clientRequestId} could not be marked failed in the journal ({e.Message}).",
            });
        }
    }

    /// <summary>
    /// Submits a journaled request again with its original <c>client_request_id</c>: the server answers with the
    /// original job if it received the first submit, so this recovers a job id lost to a crash without paying twice.
    /// </summary>
    public async Task<SubmittedJob> ResubmitAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var journaled = entry.Request ?? throw new PhotaInputException(entry.ClientRequestId,
            "this job's submit never got an answer, and its inputs (image data rather than files or URLs) cannot be sent again.",
            "Check the account's charges; run the command again if the job is missing.");
        var fields = journaled.ImageFields
            .Select(f => (f.Field, f.IsArray, (IReadOnlyList<ImageInput>)f.Sources.Select(s => ImageInput.Parse(s)).ToList()))
            .ToList();
        var path = "v1/phota/" + entry.Operation.Value;
        var handle = await SendAsync(path, journaled.Fields, fields, cancellationToken).ConfigureAwait(false);
        return Record(entry.ClientRequestId, entry.Operation, handle, entry.OutputStem ?? "job-" + handle.Value.JobId, entry.OutputFormat, entry.NumOutputImages, entry.Inputs, entry.OutputDirectory,
            JobShape.Of(entry.Operation, journaled.Fields, entry.NumOutputImages));
    }

    private async Task<ApiResponse<JobHandle>> SendAsync(
        string path, StudioBodyFields bodyFields, IReadOnlyList<(string Field, bool IsArray, IReadOnlyList<ImageInput> Images)> imageFields, CancellationToken cancellationToken)
    {
        var bodyFieldsJson = JsonSerializer.SerializeToUtf8Bytes(bodyFields, PhotaJsonContext.Default.StudioBodyFields);
        var hasUploads = imageFields.Any(f => f.Images.Any(i => i.Kind is ImageInputKind.File or ImageInputKind.Bytes));
        var request = new ApiRequest(HttpMethod.Post, transport.ApiUri(path), RequestKind.IdempotentSubmit)
        {
            CreateContent = StudioRequestBody.Plan(bodyFieldsJson, imageFields),
            AttemptTimeout = hasUploads ? transport.Options.TransferAttemptTimeout : transport.Options.AttemptTimeout,
        };
        return await transport.SendJsonAsync(request, PhotaJsonContext.Default.JobHandle, cancellationToken).ConfigureAwait(false);
    }

    private SubmittedJob Record(
        string id, StudioOperation operation, ApiResponse<JobHandle> handle, string stem, OutputFormat format, int count, IReadOnlyList<string> inputs, string? outputDirectory, JobShape shape)
    {
        var now = transport.Options.TimeProvider.GetUtcNow();
        try
        {
            journal.Append(new JournalRecord
            {
                Type = JournalRecordTypes.Submitted,
                Time = now,
                ClientRequestId = id,
                JobId = handle.Value.JobId,
                RequestId = handle.RequestId,
            }, durable: true);
        }
        catch (PhotaException e)
        {
            // The job exists and is paid for: failing here would hide it. Its intent line (with the
            // client_request_id) is already on disk, so collect can still recover the job id by resubmitting.
            transport.Log(new PhotaLogEvent
            {
                Kind = PhotaLogEventKind.Info, Subject = handle.Value.JobId,
                Message = $"Job {handle.Value.JobId} was submitted but its id could not be added to the journal ({e.Message}); its intent record ({id}) is there.",
            });
        }

        transport.Log(new PhotaLogEvent { Kind = PhotaLogEventKind.Info, Subject = handle.Value.JobId, Message = $"Submitted {operation} job {handle.Value.JobId} (journal: {journal.Path})" });
        return new SubmittedJob
        {
            JobId = handle.Value.JobId,
            ClientRequestId = id,
            Operation = operation,
            RequestId = handle.RequestId,
            SubmittedAt = now,
            OutputStem = stem,
            OutputFormat = format,
            NumOutputImages = count,
            Inputs = inputs,
            OutputDirectory = outputDirectory,
            Shape = shape,
        };
    }

    private static JournalRequest? Recoverable(StudioBodyFields bodyFields, IReadOnlyList<(string Field, bool IsArray, IReadOnlyList<ImageInput> Images)> fields)
    {
        if (fields.Any(f => f.Images.Any(i => i.Kind is not (ImageInputKind.File or ImageInputKind.Url))))
        {
            return null;
        }

        return new JournalRequest
        {
            Fields = bodyFields,
            ImageFields = fields.Select(f => new JournalImageField
            {
                Field = f.Field,
                IsArray = f.IsArray,
                Sources = f.Images.Select(i => i.Kind == ImageInputKind.File ? i.Path! : i.Url!.AbsoluteUri).ToList(),
            }).ToList(),
        };
    }
}
