namespace Phota.Tests;

/// <summary>The poll schedules, the session's check ceiling and the run-time history, without a server or a clock.</summary>
public sealed class PollScheduleTests
{
    private static readonly TimeSpan MinGap = PhotaClientOptions.Default.MinPollDelay;

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>
    /// Polls a job of length <paramref name="runTime"/> as the poller does (schedule, then the minimum gap after a
    /// check); returns the time the finished job is seen and the number of checks.
    /// </summary>
    private static (TimeSpan Seen, int Polls) Follow(PollSchedule schedule, TimeSpan runTime, TimeSpan? shortest = null, int seen = 0)
    {
        var now = TimeSpan.Zero;
        for (var polls = 0; polls < 1000; polls++)
        {
            var delay = schedule.NextDelay(new PollContext { Elapsed = now, Polls = polls, ShortestRunTime = shortest, RunTimesSeen = seen });
            now += polls > 0 && delay < MinGap ? MinGap : delay;
            if (now >= runTime)
            {
                return (now, polls + 1);
            }
        }

        throw new InvalidOperationException("The schedule never reached the end of the job.");
    }

    [Fact]
    public void With_nothing_learned_the_first_check_is_at_the_first_delay_and_gaps_grow_with_the_time_run()
    {
        var schedule = new AdaptivePollSchedule();
        Assert.Equal(Ms(250), schedule.NextDelay(new PollContext { Elapsed = TimeSpan.Zero, Polls = 0 }));
        Assert.Equal(Ms(150), schedule.NextDelay(new PollContext { Elapsed = Ms(100), Polls = 0 }));
        Assert.Equal(TimeSpan.FromSeconds(2.5), schedule.NextDelay(new PollContext { Elapsed = TimeSpan.FromSeconds(10), Polls = 3 }));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.NextDelay(new PollContext { Elapsed = TimeSpan.FromMinutes(20), Polls = 40 }));
    }

    [Fact]
    public void With_run_times_learned_the_first_check_is_aimed_at_the_shortest_and_later_gaps_are_a_share_of_the_time_run()
    {
        var schedule = new AdaptivePollSchedule();
        var learned = new PollContext { ShortestRunTime = TimeSpan.FromSeconds(2), RunTimesSeen = 5 };
        Assert.Equal(Ms(2003), schedule.NextDelay(learned with { Elapsed = TimeSpan.Zero, Polls = 0 }));
        Assert.Equal(Ms(1503), schedule.NextDelay(learned with { Elapsed = Ms(500), Polls = 0 }));
        // Checked early (say after a server hint): the next check still waits for the expected finish.
        Assert.Equal(Ms(1003), schedule.NextDelay(learned with { Elapsed = Ms(1000), Polls = 1 }));
        Assert.Equal(Ms(600), schedule.NextDelay(learned with { Elapsed = TimeSpan.FromSeconds(4), Polls = 2 }));

        // One or two run times are not trusted yet: a shorter job must not wait for a long first one.
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.NextDelay(new PollContext { ShortestRunTime = TimeSpan.FromSeconds(2), RunTimesSeen = 1 }));
    }

    [Fact]
    public void A_job_submitted_long_ago_is_checked_at_once()
    {
        var schedule = new AdaptivePollSchedule();
        Assert.Equal(TimeSpan.Zero, schedule.NextDelay(new PollContext { Elapsed = TimeSpan.FromHours(3), Polls = 0 }));
        Assert.Equal(TimeSpan.Zero, schedule.NextDelay(new PollContext { Elapsed = TimeSpan.FromHours(3), Polls = 0, ShortestRunTime = TimeSpan.FromSeconds(20), RunTimesSeen = 9 }));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(2_700)]
    [InlineData(4_000)]
    [InlineData(13_000)]
    [InlineData(30_000)]
    [InlineData(600_000)]
    public void A_finished_job_is_noticed_within_a_bounded_share_of_its_run_time_at_a_logarithmic_number_of_checks(int runMs)
    {
        var schedule = new AdaptivePollSchedule();
        var runTime = Ms(runMs);

        // Learned (the shortest job of the kind took a third of this one): late by at most 15 % of the run time or
        // the minimum gap, whichever is larger (the cap of 30 s on a gap bounds very long jobs further).
        var (seen, polls) = Follow(schedule, runTime, runTime / 3, seen: 10);
        var allowed = runTime * schedule.Growth > MinGap ? runTime * schedule.Growth : MinGap;
        Assert.InRange(seen - runTime, TimeSpan.Zero, allowed);
        Assert.InRange(polls, 1, 2 + (int)Math.Ceiling(Math.Log(3) / Math.Log(1 + schedule.Growth)) + runMs / 30_000);

        // Nothing learned: within 25 % (or the minimum gap), still only logarithmically many checks.
        var (unknownSeen, unknownPolls) = Follow(schedule, runTime);
        var unknownAllowed = runTime * schedule.UnknownGrowth > MinGap ? runTime * schedule.UnknownGrowth : MinGap;
        Assert.InRange(unknownSeen - runTime, TimeSpan.Zero, unknownAllowed);
        Assert.True(unknownPolls <= 6 + Math.Log(runMs / 1000.0 + 1) / Math.Log(1 + schedule.UnknownGrowth) + runMs / 30_000, $"{unknownPolls} checks for a {runMs} ms job");
    }

    [Fact]
    public void A_job_as_long_as_the_shortest_learned_is_found_finished_by_its_first_check()
    {
        var (seen, polls) = Follow(new AdaptivePollSchedule(), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), seen: 4);
        Assert.Equal(1, polls);
        Assert.Equal(Ms(3003), seen);
    }

    [Fact]
    public void The_fixed_schedule_checks_at_once_then_follows_its_list_then_its_interval()
    {
        var schedule = PollSchedule.Fixed([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(0, 5).Select(p => schedule.NextDelay(new PollContext { Polls = p, ShortestRunTime = Ms(100), RunTimesSeen = 9 })).ToList();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], delays);
        Assert.Throws<ArgumentOutOfRangeException>(() => PollSchedule.Fixed([Ms(-1)], TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PollSchedule.Fixed([], TimeSpan.Zero));
    }

    [Fact]
    public void The_ceiling_spaces_checks_due_at_once_so_no_second_holds_more_than_the_rate()
    {
        var throttle = new PollThrottle();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var slots = Enumerable.Range(0, 100).Select(_ => throttle.Reserve(start, 20)).ToList();
        Assert.Equal(start, slots[0]);
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(Ms(50), pair.Second - pair.First));
        foreach (var from in slots)
        {
            Assert.True(slots.Count(s => s >= from && s < from + TimeSpan.FromSeconds(1)) <= 20);
        }

        // After the queue has drained, a check is free to go at once.
        var later = slots[^1] + TimeSpan.FromSeconds(10);
        Assert.Equal(later, throttle.Reserve(later, 20));
        Assert.Equal(later + Ms(50), throttle.Reserve(later, 20));

        // No ceiling: never a wait.
        Assert.Equal(start, new PollThrottle().Reserve(start, 0));
    }

    [Fact]
    public void Run_times_are_learned_per_shape_from_the_most_recent_window()
    {
        var history = new RunTimeHistory();
        var enhance = new JobShape("enhance", null, null, 1);
        var edit4 = new JobShape("edit", "nb2", "4K", 4);
        Assert.Equal((null, 0), history.Of(enhance));

        history.Record(enhance, TimeSpan.FromSeconds(3));
        history.Record(enhance, TimeSpan.FromSeconds(2));
        history.Record(enhance, TimeSpan.Zero); // not a run time
        history.Record(edit4, TimeSpan.FromSeconds(40));
        Assert.Equal((TimeSpan.FromSeconds(2), 2), history.Of(enhance));
        Assert.Equal((TimeSpan.FromSeconds(40), 1), history.Of(edit4));

        // A service that slows down: once the window holds only newer, longer run times, the old shortest is gone.
        for (var i = 0; i < RunTimeHistory.Window; i++)
        {
            history.Record(enhance, TimeSpan.FromSeconds(5));
        }

        Assert.Equal((TimeSpan.FromSeconds(5), RunTimeHistory.Window + 2), history.Of(enhance));
    }
}
