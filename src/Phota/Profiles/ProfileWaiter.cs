using Phota.Errors;
using Phota.Http;
using Phota.Jobs;
using Phota.Models;
using System.Runtime.CompilerServices;

namespace Phota.Profiles;

/// <summary>How a profile's wait ended: ready, failed (with the server's message), or timed out.</summary>
public sealed record ProfileWaitResult
{
    public required string ProfileId { get; init; }

    public ProfileStatusResponse? Status { get; init; }

    /// <summary>The profile's tag, when it has one (the status answer does not carry it; the profile list does).</summary>
    public string? Tag { get; init; }

    /// <summary>Null when READY; else why not (training ERROR/INACTIVE, timeout, an API error for this id).</summary>
    public PhotaException? Error { get; init; }

    public bool IsReady => Error is null;
}

/// <summary>A snapshot while waiting for profiles.</summary>
public sealed record ProfileWaitProgress(int Total, int Finished, IReadOnlyDictionary<string, ProfileStatus> Pending, TimeSpan Elapsed);

/// <summary>
/// Waits for several profiles at once, each on its own schedule (<see cref="PhotaClientOptions.ProfilePollSchedule"/>:
/// first at once, then after 10 s, then gaps growing with the time waited, at most 15 s), under the same rules as job waits: a
/// server's Retry-After on a status wins, one profile is never checked twice within
/// <see cref="PhotaClientOptions.MinPollDelay"/>, and every check takes its turn under the session's
/// <see cref="PhotaClientOptions.MaxPollsPerSecond"/>. Each profile is yielded as soon as it is READY, ERROR or INACTIVE.
/// </summary>
internal sealed class ProfileWaiter(
    ApiTransport transport,
    Func<string, CancellationToken, Task<ApiResponse<ProfileStatusResponse>>> getStatus,
    Func<CancellationToken, Task<IReadOnlyList<ProfileInfo>>> listProfiles)
{
    private Dictionary<string, string?>? _tags;

    /// <summary>Tags of the account's profiles, read once (one list call) when the first profile finishes.</summary>
    private async Task<string?> TagOfAsync(string profileId, CancellationToken cancellationToken)
    {
        if (_tags is null)
        {
            try
            {
                _tags = (await listProfiles(cancellationToken).ConfigureAwait(false))
                    .GroupBy(p => p.ProfileId, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First().Tag, StringComparer.Ordinal);
            }
            catch (PhotaException e) when (!e.IsFatalForBatch)
            {
                // The tag is a nicety: a failed list leaves it empty rather than failing the wait.
                _tags = new Dictionary<string, string?>(StringComparer.Ordinal);
            }
        }

        return _tags.GetValueOrDefault(profileId);
    }

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<ProfileWaitResult> WaitAsync(
        IEnumerable<string> profileIds, TimeSpan? timeout, Action<ProfileWaitProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = transport.Options;
        var time = options.TimeProvider;
        var started = time.GetUtcNow();
        var pending = new Dictionary<string, ProfileStatus>(StringComparer.Ordinal);
        foreach (var id in profileIds.Distinct(StringComparer.Ordinal))
        {
            pending[id] = ProfileStatus.Validating;
        }

        var total = pending.Count;
        void ReportProgress() => progress?.Invoke(
            new ProfileWaitProgress(total, total - pending.Count, new Dictionary<string, ProfileStatus>(pending), time.GetUtcNow() - started));
        var checks = pending.Keys.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        // The first check is made at once (a profile that is already READY, or failed, is answered without waiting);
        // the schedule's own first delay applies from the second check on.
        var due = pending.Keys.ToDictionary(id => id, _ => started, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var next = due.Values.Min();
            if (timeout is { } limit && next - started > limit)
            {
                foreach (var id in pending.Keys.ToList())
                {
                    yield return new ProfileWaitResult
                    {
                        ProfileId = id,
                        Error = new PhotaException(ErrorKind.Timeout, $"Profile {id} was still {pending[id]} after {limit.TotalSeconds:0} s. Training continues on the server.") { ProfileId = id },
                    };
                }

                yield break;
            }

            ReportProgress();
            var delay = next - time.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                transport.Log(new PhotaLogEvent { Kind = PhotaLogEventKind.Wait, Subject = $"{pending.Count} profile(s)", Delay = delay });
                // Training takes minutes: the progress (time waited) moves at least once a second between checks.
                while (time.GetUtcNow() < next)
                {
                    var slice = next - time.GetUtcNow();
                    await Task.Delay(slice < ProgressInterval ? slice : ProgressInterval, time, cancellationToken).ConfigureAwait(false);
                    ReportProgress();
                }
            }

            var now = time.GetUtcNow();
            var answers = due.Where(d => d.Value <= now).Select(d => d.Key).ToList().Select(async id =>
            {
                try
                {
                    await transport.Session.Polling.Throttle.WaitTurnAsync(time, options.MaxPollsPerSecond, cancellationToken).ConfigureAwait(false);
                    return (id, status: await getStatus(id, cancellationToken).ConfigureAwait(false), error: (PhotaException?)null);
                }
                catch (PhotaException e) when (!e.IsFatalForBatch && e.Kind is not (ErrorKind.ServiceUnavailable or ErrorKind.ServerError or ErrorKind.Unreachable or ErrorKind.Timeout or ErrorKind.RateLimited))
                {
                    return (id, status: (ApiResponse<ProfileStatusResponse>?)null, error: e);
                }
            }).ToList();

            foreach (var (id, answer, error) in await Task.WhenAll(answers).ConfigureAwait(false))
            {
                checks[id]++;
                if (error is not null)
                {
                    pending.Remove(id);
                    due.Remove(id);
                    yield return new ProfileWaitResult { ProfileId = id, Error = error };
                    continue;
                }

                var status = answer!.Value;
                pending[id] = status.Status;
                if (!status.IsFinished)
                {
                    var checkedAt = time.GetUtcNow();
                    due[id] = checkedAt + Delay(checks[id] - 1, checkedAt - started, answer.RetryAfter);
                    continue;
                }

                pending.Remove(id);
                due.Remove(id);
                if (status.Status == ProfileStatus.Ready)
                {
                    yield return new ProfileWaitResult { ProfileId = id, Status = status, Tag = await TagOfAsync(id, cancellationToken).ConfigureAwait(false) };
                }
                else
                {
                    var message = string.IsNullOrWhiteSpace(status.Message) ? "no reason given" : transport.Session.Redact(status.Message);
                    yield return new ProfileWaitResult
                    {
                        ProfileId = id,
                        Status = status,
                        Tag = await TagOfAsync(id, cancellationToken).ConfigureAwait(false),
                        Error = new PhotaException(ErrorKind.ProfileTrainingFailed, $"Profile {id} training ended in {status.Status}: {message}") { ProfileId = id },
                    };
                }
            }
        }

        ReportProgress();
    }

    /// <summary>The wait before a profile's next check, by the same rules as job waits.</summary>
    private TimeSpan Delay(int checks, TimeSpan waited, TimeSpan? hint)
        => PollRules.NextDelay(transport.Options, transport.Options.ProfilePollSchedule, new PollContext { Elapsed = waited, Polls = checks }, hint);
}
