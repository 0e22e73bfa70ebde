using Phota.Errors;
using Phota.Http;
using Phota.Images;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// Saves a studio result: downloads each signed URL streaming to a temporary file (retrying broken connections),
/// or decodes base64 images, checks the format and renames into place. Outputs download concurrently.
/// </summary>
internal sealed class ResultDownloader(ApiTransport transport, JobJournal? journal)
{
    public async Task<IReadOnlyList<SavedImage>> SaveAsync(
        StudioResponse result, ResultOrigin target, OutputOptions output, IReadOnlyDictionary<int, string>? alreadySaved, CancellationToken cancellationToken)
    {
        var sources = result.DownloadUrls.Count > 0 ? result.DownloadUrls : result.Images;
        if (target.ExpectedCount is { } expected && sources.Count > expected)
        {
            // More results than were asked for (and paid for) is a server fault or a hostile answer: save none of them.
            throw new PhotaException(ErrorKind.InvalidResult,
                $"The Phota API returned {sources.Count} images for a request of {expected}{(target.JobId is null ? string.Empty : " (job " + target.JobId + ")")}; nothing was saved.")
            { JobId = target.JobId };
        }

        var directory = Path.GetFullPath(output.Directory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhotaException(ErrorKind.OutputFailed, $"Cannot create the output directory {directory}: {e.Message}", e);
        }

        var fromUrls = result.DownloadUrls.Count > 0;
        var tasks = new List<Task<SavedImage>>();
        var saved = new List<SavedImage>();
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        for (var i = 0; i < sources.Count; i++)
        {
            var variation = i + 1;
            if (alreadySaved is not null && alreadySaved.TryGetValue(variation, out var existing) && File.Exists(existing))
            {
                saved.Add(Describe(existing, variation, target, result));
                continue;
            }

            var source = sources[i];
            tasks.Add(SaveOneAsync(source, fromUrls, variation, directory, output.Collision, target, result, failFast));
        }

        try
        {
            saved.AddRange(await Task.WhenAll(tasks).ConfigureAwait(false));
        }
        catch
        {
            // Completed files stay (they are whole and journaled); report the first failure.
            var failure = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            if (failure is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            throw;
        }

        saved.Sort((a, b) => a.Variation.CompareTo(b.Variation));
        if (target.ClientRequestId is not null)
        {
            Append(new JournalRecord { Type = JournalRecordTypes.Downloaded, Time = Now, ClientRequestId = target.ClientRequestId });
        }

        return saved;
    }

    private async Task<SavedImage> SaveOneAsync(
        string source, bool fromUrl, int variation, string directory, FileCollision collision, ResultOrigin target, StudioResponse result, CancellationTokenSource failFast)
    {
        var fileName = OutputNaming.FileName(target.Stem, variation, target.Format);
        string temp;
        try
        {
            temp = fromUrl
                ? await DownloadAsync(source, directory, fileName, failFast.Token).ConfigureAwait(false)
                : await ResultFileWriter.WriteTempFromBase64Async(source, directory, fileName, transport.Options.MaxDownloadBytes, failFast.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            if (e is PhotaException { Kind: ErrorKind.ResultExpired } && target.ClientRequestId is not null)
            {
                // Nothing can bring an expired link back: record it so collecting does not try again.
                Append(new JournalRecord { Type = JournalRecordTypes.Expired, Time = Now, ClientRequestId = target.ClientRequestId, ErrorCode = "expired", Message = e.Message });
            }

            throw;
        }

        var path = ResultFileWriter.Commit(temp, directory, fileName, target.Format, collision);
        if (target.ClientRequestId is not null)
        {
            Append(new JournalRecord { Type = JournalRecordTypes.File, Time = Now, ClientRequestId = target.ClientRequestId, Variation = variation, File = path });
        }

        return Describe(path, variation, target, result);
    }

    private async Task<string> DownloadAsync(string url, string directory, string fileName, CancellationToken cancellationToken)
    {
        var uri = ValidateDownloadUrl(url);
        var request = new ApiRequest(HttpMethod.Get, uri, RequestKind.Read)
        {
            AttemptTimeout = transport.Options.TransferAttemptTimeout,
            Accept = null,
        };
        try
        {
            var limit = transport.Options.MaxDownloadBytes;
            var response = await transport.SendAsync(request, async (response, ct) =>
            {
                if (response.Content.Headers.ContentLength is { } length && length > limit)
                {
                    throw ResultFileWriter.TooLarge(fileName, limit);
                }

                await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                return await ResultFileWriter.WriteTempAsync(body, directory, fileName, limit, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return response.Value;
        }
        catch (PhotaApiException e) when ((int)e.StatusCode is 401 or 403 or 404 or 410)
        {
            // A signed download link answers these when it has expired; the account's key is not involved.
            throw new PhotaApiException(ErrorKind.ResultExpired,
                $"The download link for {fileName} has expired or is invalid (HTTP {(int)e.StatusCode}). Links are valid 24 hours.",
                e.StatusCode, e.Code, e.Detail, e.RequestId, e.FieldErrors, e);
        }
    }

    private Uri ValidateDownloadUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || transport.Session.IsLoopback)))
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new PhotaException(ErrorKind.InvalidResult, "The Phota API returned a download link that is not a plain https URL; it was not followed.");
        }

        return uri;
    }

    private static SavedImage Describe(string path, int variation, ResultOrigin target, StudioResponse result) => new()
    {
        Path = path,
        Operation = target.Operation,
        Source = target.Source,
        Variation = variation,
        Format = target.Format,
        KnownSubjects = result.KnownSubjects.Counts,
        JobId = target.JobId,
        RequestId = target.RequestId,
    };

    private DateTimeOffset Now => transport.Options.TimeProvider.GetUtcNow();

    private void Append(JournalRecord record)
    {
        if (journal is null)
        {
            return;
        }

        try
        {
            journal.Append(record, durable: false);
        }
        catch (PhotaException)
        {
            // Files are saved; a missing line only means collect would check them again.
        }
    }
}
