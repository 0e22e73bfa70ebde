using System.Diagnostics;

namespace Phota.Tests;

public class JournalTests
{
    private static JournalRecord Record(string type, string id, string? jobId = null) => new()
    {
        Type = type,
        Time = DateTimeOffset.UtcNow,
        ClientRequestId = id,
        JobId = jobId,
        Operation = "enhance",
        Inputs = ["/photos/beach.jpg"],
    };

    [Fact]
    public async Task Parallel_writers_never_lose_or_corrupt_a_line()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        // Separate instances share nothing in memory but the file (like two processes, plus the lock file).
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var journal = new JobJournal(path);
            for (var i = 0; i < 50; i++)
            {
                journal.Append(Record(JournalRecordTypes.Intent, $"w{w}-{i}"), durable: false);
                journal.Append(Record(JournalRecordTypes.Submitted, $"w{w}-{i}", $"job-{w}-{i}"), durable: false);
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(800, lines.Length);
        var entries = new JobJournal(path).GetEntries();
        Assert.Equal(400, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalState.Submitted, e.State));
        Assert.Equal(400, entries.Select(e => e.JobId).Distinct().Count());
    }

    [Fact]
    public void A_line_cut_short_by_a_crash_is_skipped_and_later_lines_stay_readable()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var journal = new JobJournal(path);
        journal.Append(Record(JournalRecordTypes.Intent, "a"), durable: true);
        journal.Append(Record(JournalRecordTypes.Submitted, "a", "job-a"), durable: true);
        File.AppendAllText(path, "{\"type\":\"intent\",\"time\":\"2026-01-01T00:00:00Z\",\"client_req");
        Assert.Single(journal.GetEntries());

        journal.Append(Record(JournalRecordTypes.Intent, "b"), durable: true);
        var entries = journal.GetEntries();
        Assert.Equal(["a", "b"], entries.Select(e => e.ClientRequestId));
        Assert.Equal("job-a", entries[0].JobId);
        Assert.Equal(JournalState.Intent, entries[1].State);
        Assert.Equal(2, journal.GetOutstanding().Count);
    }

    [Fact]
    public void Records_fold_into_the_latest_state()
    {
        var now = DateTimeOffset.UtcNow;
        var entries = JobJournal.Fold(
        [
            Record(JournalRecordTypes.Intent, "x"),
            Record(JournalRecordTypes.Submitted, "x", "job-x"),
            Record(JournalRecordTypes.Completed, "x"),
            new JournalRecord { Type = JournalRecordTypes.File, Time = now, ClientRequestId = "x", Variation = 2, File = "/o/b-2.jpg" },
            Record(JournalRecordTypes.Intent, "y"),
            Record(JournalRecordTypes.Submitted, "y", "job-y"),
            new JournalRecord { Type = JournalRecordTypes.Failed, Time = now, ClientRequestId = "y", ErrorCode = "instance_died", Message = "boom" },
        ]);
        Assert.Equal(JournalState.Completed, entries[0].State);
        Assert.Equal("/o/b-2.jpg", entries[0].Files[2]);
        Assert.True(entries[0].IsOutstanding);
        Assert.Equal(JournalState.Failed, entries[1].State);
        Assert.Equal("instance_died", entries[1].ErrorCode);
        Assert.False(entries[1].IsOutstanding);
    }

    [Fact]
    public void An_unwritable_journal_is_a_clear_error()
    {
        using var dir = new TempDir();
        // A directory where the file should be: no write can succeed, on every platform and as any user.
        var path = Path.Combine(dir.Path, "journal.jsonl");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<PhotaException>(() => new JobJournal(path).Append(Record(JournalRecordTypes.Intent, "a"), durable: true));
        Assert.Equal(ErrorKind.JournalUnavailable, error.Kind);
        Assert.Contains(path, error.Message);
        Assert.Contains("Nothing was submitted", error.Message);
        Assert.True(error.IsFatalForBatch);
    }

    [Fact]
    public void Default_path_honours_the_environment_variable()
    {
        Assert.Equal(Path.GetFullPath("/tmp/x/j.jsonl"), JobJournal.DefaultPath(n => n == JobJournal.PathVariable ? "/tmp/x/j.jsonl" : null));
        Assert.EndsWith(Path.Combine("Phota", "journal.jsonl"), JobJournal.DefaultPath(_ => null));
    }
}
