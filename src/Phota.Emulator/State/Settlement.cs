using Phota.Emulator.Accounts;
using Phota.Emulator.Time;
using Phota.Emulator.Webhooks;

namespace Phota.Emulator.State;

/// <summary>
/// Applies what the clock says has happened: a failed async job is refunded and its callback
/// queued, a succeeded one has its callback queued, a profile whose validation failed is refunded.
/// Runs lazily before any account is read and on a timer scheduled for each expected transition,
/// so nothing depends on the timer firing (or on the process staying up).
/// </summary>
internal sealed class Settlement(EmulatorStore store, EmulatorClock clock, CallbackDispatcher callbacks)
{
    private readonly CancellationTokenSource _stopping = new();

    public void Settle(Account account)
    {
        var now = clock.Now;
        List<Jobs.Job>? toDeliver = null;
        var changed = false;
        lock (account.Gate)
        {
            foreach (var job in account.Jobs.Values)
            {
                if (job.Settled || !job.IsTerminal(now)) continue;
                job.Settled = true;
                changed = true;
                if (job.FailCode is not null || job.TimedOut) account.Refund(job.Id);
                if (job.CallbackUrl is not null && job.IsAsync) (toDeliver ??= []).Add(job);
            }

            foreach (var profile in account.Profiles.Values)
            {
                if (profile.Settled || now < profile.ValidatedAt) continue;
                profile.Settled = true;
                changed = true;
                if (profile.ErrorMessage is not null) account.Refund(profile.Id);
            }
        }

        if (changed) store.MarkChanged();
        if (toDeliver is null) return;
        foreach (var job in toDeliver) callbacks.Enqueue(account, job);
    }

    /// <summary>Settles <paramref name="account"/> again at <paramref name="due"/> (real time, scaled durations).</summary>
    public void ScheduleAt(Account account, DateTimeOffset due)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                // Timers and the wall clock can disagree by a millisecond or so: wait again if woken early.
                // A hand-moved test clock may never get there; reads settle lazily in that case.
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var wait = due - clock.Now;
                    if (wait <= TimeSpan.Zero) break;
                    await EmulatorClock.Delay(wait + TimeSpan.FromMilliseconds(1), _stopping.Token).ConfigureAwait(false);
                }

                Settle(account);
            }
            catch (OperationCanceledException)
            {
                // Shutting down: the next start settles from the timestamps.
            }
        });
    }

    /// <summary>After loading a state file: resumes unfinished callbacks and schedules every pending transition.</summary>
    public void ResumeAll()
    {
        foreach (var account in store.Accounts)
        {
            List<Jobs.Job> resume;
            lock (account.Gate)
                resume = account.Jobs.Values
                    .Where(j => j.Settled && j.IsAsync && j.CallbackUrl is not null && !j.CallbackDelivered && !j.CallbackAbandoned)
                    .ToList();
            foreach (var job in resume) callbacks.Enqueue(account, job);

            Settle(account);
            lock (account.Gate)
            {
                foreach (var job in account.Jobs.Values.Where(j => !j.Settled)) ScheduleAt(account, job.CompletedAt);
                foreach (var profile in account.Profiles.Values.Where(p => !p.Settled)) ScheduleAt(account, profile.ValidatedAt);
            }
        }
    }

    public void Stop() => _stopping.Cancel();
}
