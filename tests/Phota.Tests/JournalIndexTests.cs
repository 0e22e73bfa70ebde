using System.Text;

namespace Phota.Tests;

/// <summary>The per-process journal index (lookups read only what was appended) and compaction.</summary>
public class JournalIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static JournalRecord Record(string type, string id, DateTimeOffset time, string? jobId = null) => new()
    {
        Type = type,
        Time = time,
        ClientRequestId = id,
        JobId = jobId,
        Operation = "enhance",
        Inputs = ["/photos/" + id + ".jpg"],
        OutputDirectory = "/out",
    };

    /// <summary>Appends a whole job's history: submitted, then optionally finished with <paramref name="end"/>.</summary>
    private static void Job(JobJournal journal, string id, DateTimeOffset time, string? end)
    {
        journal.Append(Record(JournalRecordTypes.Intent, id, time), durable: false);
        journal.Append(Record(JournalRecordTypes.Submitted, id, time, "job-" + id), durable: false);
        if (end is not null)
        {
            journal.Append(Record(end, id, time), durable: false);
        }
    }

    private static void AssertSameAsFullRead(JobJournal journal)
    {
        var all = journal.GetEntries();
        Assert.Equal(all.Where(e => e.IsOutstanding).Select(e => (e.ClientRequestId, e.JobId, e.State)), journal.GetOutstanding().Select(e => (e.ClientRequestId, e.JobId, e.State)));
        foreach (var e in all)
        {
            Assert.Equal(e.State, journal.Find(e.ClientRequestId)!.State);
            Assert.Equal(e.ClientRequestId, journal.Find(e.JobId!)!.ClientRequestId);
        }
    }

    [Fact]
    public void Lookups_follow_appends_from_other_instances_exactly_as_a_full_read_does()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var reader = new JobJournal(path, new ManualTimeProvider(Now));
        var writer = new JobJournal(path, new ManualTimeProvider(Now));
        Assert.Null(reader.Find("a"));
        Assert.Empty(reader.GetOutstanding());

        Job(writer, "a", Now, null);
        Job(writer, "b", Now, JournalRecordTypes.Downloaded);
        AssertSameAsFullRead(reader);
        Job(writer, "c", Now, JournalRecordTypes.Failed);
        writer.Append(Record(JournalRecordTypes.Completed, "a", Now), durable: false);
        writer.Append(new JournalRecord { Type = JournalRecordTypes.File, Time = Now, ClientRequestId = "a", Variation = 1, File = "/out/a.jpg" }, durable: false);
        AssertSameAsFullRead(reader);
        Assert.Equal("/out/a.jpg", reader.Find("job-a")!.Files[1]);
        Assert.Equal(JournalState.Completed, Assert.Single(reader.GetOutstanding()).State);

        writer.Append(Record(JournalRecordTypes.Downloaded, "a", Now), durable: false);
        AssertSameAsFullRead(reader);
        Assert.Empty(reader.GetOutstanding());
        Assert.Null(reader.Find("job-unknown"));
    }

    [Fact]
    public void A_lookup_reads_only_what_was_appended_since_the_last_one()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var journal = new JobJournal(path, new ManualTimeProvider(Now));
        Job(journal, "first", Now, null);
        Job(journal, "second", Now, null);
        Assert.Equal(2, journal.GetOutstanding().Count);

        // Overwrite the second job's submitted line in place (same length): a reader that read the file again would
        // see the line break and the job back in Intent; the index already folded it and does not look again.
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var at = text.IndexOf("\"submitted\"", text.IndexOf("second", StringComparison.Ordinal), StringComparison.Ordinal);
        bytes[at + 1] = (byte)'X';
        File.WriteAllBytes(path, bytes);
        Job(journal, "third", Now, null);

        Assert.Equal(JournalState.Submitted, journal.Find("second")!.State);
        Assert.Equal(["first", "second", "third"], journal.GetOutstanding().Select(e => e.ClientRequestId));
        // A full read sees the edited line as an unknown record type: the job is left in Intent.
        Assert.Equal(JournalState.Intent, journal.GetEntries().Single(e => e.ClientRequestId == "second").State);
    }

    [Fact]
    public void A_replaced_journal_is_noticed_even_when_it_is_longer_than_what_was_read()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var journal = new JobJournal(path, new ManualTimeProvider(Now));
        Job(journal, "old", Now, null);
        Assert.NotNull(journal.Find("old"));

        // Another process renames a different, longer file over it (as a compaction does).
        var other = Path.Combine(dir.Path, "other.jsonl");
        var otherJournal = new JobJournal(other, new ManualTimeProvider(Now));
        for (var i = 0; i < 5; i++)
        {
            Job(otherJournal, "new" + i, Now, null);
        }

        Assert.True(new FileInfo(other).Length > new FileInfo(path).Length);
        File.Move(other, path, overwrite: true);
        Assert.Null(journal.Find("old"));
        Assert.Equal(5, journal.GetOutstanding().Count);
        Assert.Equal("new3", journal.Find("job-new3")!.ClientRequestId);
    }

    [Fact]
    public void A_line_still_being_written_is_not_folded_until_it_is_whole()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var journal = new JobJournal(path, new ManualTimeProvider(Now));
        Job(journal, "a", Now, null);
        Assert.Single(journal.GetOutstanding());
        File.AppendAllText(path, "{\"type\":\"downloaded\",\"time\":\"2026-06-01T12:00:00+00:00\",\"client_request_id\":\"a\"");
        Assert.Single(journal.GetOutstanding());
        // The rest of the line arrives: now it counts.
        File.AppendAllText(path, "}\n");
        Assert.Empty(journal.GetOutstanding());
        Assert.Equal(JournalState.Downloaded, journal.Find("a")!.State);
    }

    [Fact]
    public void Compaction_removes_only_finished_jobs_older_than_the_result_lifetime_and_keeps_the_rest_byte_for_byte()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var clock = new ManualTimeProvider(Now);
        var journal = new JobJournal(path, clock);
        var old = Now - JobJournal.ResultLifetime - TimeSpan.FromMinutes(1);
        var recent = Now - JobJournal.ResultLifetime + TimeSpan.FromMinutes(1);
        Job(journal, "old-saved", old, JournalRecordTypes.Downloaded);
        Job(journal, "old-failed", old, JournalRecordTypes.Failed);
        Job(journal, "old-expired", old, JournalRecordTypes.Expired);
        Job(journal, "old-outstanding", old, null);
        journal.Append(Record(JournalRecordTypes.Intent, "old-intent", old), durable: false);
        Job(journal, "recent-saved", recent, JournalRecordTypes.Downloaded);
        File.AppendAllText(path, "{\"type\":\"intent\",\"ti\n");
        Job(journal, "new", Now, null);
        var keptLines = File.ReadAllLines(path).Where(l => !l.Contains("old-saved") && !l.Contains("old-failed") && !l.Contains("old-expired") && l != "{\"type\":\"intent\",\"ti").ToList();
        var before = new FileInfo(path).Length;

        var preview = journal.PreviewCompaction();
        Assert.Equal(before, new FileInfo(path).Length);
        Assert.False(preview.Applied);
        Assert.Equal((7, 3, 3), (preview.JobsBefore, preview.JobsRemoved, preview.Outstanding));

        var done = journal.Compact();
        Assert.True(done.Applied);
        Assert.Equal(preview.JobsRemoved, done.JobsRemoved);
        Assert.Equal(preview.BytesAfter, done.BytesAfter);
        Assert.Equal(new FileInfo(path).Length, done.BytesAfter);
        var lines = File.ReadAllLines(path);
        Assert.Contains("\"compacted\"", lines[0]);
        Assert.Equal(keptLines, lines.Skip(1));
        Assert.Equal(["old-outstanding", "old-intent", "recent-saved", "new"], journal.GetEntries().Select(e => e.ClientRequestId));
        Assert.Equal(["old-outstanding", "old-intent", "new"], journal.GetOutstanding().Select(e => e.ClientRequestId));
        Assert.Null(journal.Find("job-old-saved"));

        // Nothing left to remove: the file is not rewritten.
        var again = journal.Compact();
        Assert.False(again.Applied);
        Assert.Equal(0, again.JobsRemoved);
        Assert.Equal(lines, File.ReadAllLines(path));

        // A day later the recent job is old too.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, journal.Compact().JobsRemoved);
        Assert.Equal(["old-outstanding", "old-intent", "new"], journal.GetEntries().Select(e => e.ClientRequestId));
    }

    [Fact]
    public void A_lookup_compacts_automatically_once_enough_has_expired()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var clock = new ManualTimeProvider(Now);
        var writer = new JobJournal(path, clock);
        var old = Now - TimeSpan.FromDays(2);
        for (var i = 0; i < JobJournal.MinAutomaticRemoval - 1; i++)
        {
            Job(writer, "old" + i, old, JournalRecordTypes.Downloaded);
        }

        Job(writer, "pending", old, null);
        var small = new FileInfo(path).Length;
        Assert.Single(new JobJournal(path, clock).GetOutstanding());
        Assert.Equal(small, new FileInfo(path).Length);

        // One more removable job reaches the threshold; the next check (a minute later) compacts.
        Job(writer, "old-last", old, JournalRecordTypes.Failed);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("pending", Assert.Single(writer.GetOutstanding()).ClientRequestId);
        Assert.Equal("pending", Assert.Single(writer.GetEntries()).ClientRequestId);
        Assert.True(new FileInfo(path).Length < small / 50);
    }

    [Fact]
    public async Task Compaction_while_others_append_loses_no_outstanding_job_and_tears_no_line()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var clock = new ManualTimeProvider(Now);
        var seed = new JobJournal(path, clock);
        for (var i = 0; i < 500; i++)
        {
            Job(seed, "old" + i, Now - TimeSpan.FromDays(3), JournalRecordTypes.Downloaded);
        }

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            var journal = new JobJournal(path, clock);
            var i = 0;
            for (; !stop.IsCancellationRequested && i < 2000; i++)
            {
                Job(journal, $"w{w}-{i}", Now, i % 2 == 0 ? null : JournalRecordTypes.Downloaded);
            }

            return i;
        })).ToArray();
        var compactions = 0;
        for (var round = 0; round < 20; round++)
        {
            Job(seed, "aged" + round, Now - TimeSpan.FromDays(2), JournalRecordTypes.Failed);
            compactions += new JobJournal(path, clock).Compact().Applied ? 1 : 0;
            await Task.Delay(5);
        }

        stop.Cancel();
        var written = await Task.WhenAll(writers);
        Assert.Equal(20, compactions);
        var lines = File.ReadAllLines(path);
        Assert.All(lines, line => Assert.True(JobJournal.TryParse(Encoding.UTF8.GetBytes(line), out _) || line.Contains("\"compacted\""), line));
        var outstanding = new JobJournal(path, clock).GetOutstanding().Select(e => e.ClientRequestId).ToHashSet();
        var expected = written.SelectMany((count, w) => Enumerable.Range(0, count).Where(i => i % 2 == 0).Select(i => $"w{w}-{i}")).ToHashSet();
        Assert.Equal(expected, outstanding);
        Assert.DoesNotContain(new JobJournal(path, clock).GetEntries(), e => e.ClientRequestId.StartsWith("old", StringComparison.Ordinal) || e.ClientRequestId.StartsWith("aged", StringComparison.Ordinal));
    }
}

/// <summary>The index saved beside the journal, which lets a new process read only what was appended since.</summary>
public class JournalSnapshotTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static void Jobs(string path, int count, string prefix, bool finished)
    {
        var journal = new JobJournal(path);
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}{i}";
            journal.Append(new JournalRecord { Type = JournalRecordTypes.Intent, Time = Now, ClientRequestId = id, Operation = "enhance", Inputs = [$"/photos/{id}-with-a-longer-name-to-fill-the-line.jpg"], OutputDirectory = "/out/a/folder/somewhere" }, durable: false);
            journal.Append(new JournalRecord { Type = JournalRecordTypes.Submitted, Time = Now, ClientRequestId = id, JobId = "job-" + id, RequestId = "req-" + id }, durable: false);
            if (finished)
            {
                journal.Append(new JournalRecord { Type = JournalRecordTypes.Downloaded, Time = Now, ClientRequestId = id }, durable: false);
            }
        }
    }

    [Fact]
    public void A_new_process_starts_from_the_saved_index_and_reads_only_the_lines_appended_since()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        Jobs(path, 3000, "done", finished: true);
        Jobs(path, 2, "open", finished: false);
        Assert.Equal(2, new JobJournal(path).GetOutstanding().Count);
        Assert.True(File.Exists(path + ".index"), "a journal of over a megabyte gets its index saved");
        var saved = new FileInfo(path).Length;
        Jobs(path, 1, "later", finished: false);

        // What a new process does: load the saved index, then fold the new tail.
        var index = new JournalIndex();
        using (var file = File.OpenHandle(path))
        {
            Assert.True(index.TryLoad(path + ".index", file));
            Assert.Equal(saved, index.FoldedLength);
            index.Refresh(file);
            Assert.Equal(new FileInfo(path).Length, index.FoldedLength);
            Assert.Equal(["open0", "open1", "later0"], index.GetOutstanding(file).Select(e => e.ClientRequestId));
            Assert.Equal(JournalState.Downloaded, index.Find(file, "job-done1234")!.State);
            Assert.Equal("/out/a/folder/somewhere", index.Find(file, "done2999")!.OutputDirectory);
        }
    }

    [Fact]
    public void A_saved_index_of_another_journal_or_a_damaged_one_is_ignored()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        Jobs(path, 3000, "done", finished: true);
        Assert.Empty(new JobJournal(path).GetOutstanding());
        var snapshot = path + ".index";
        var bytes = File.ReadAllBytes(snapshot);

        var index = new JournalIndex();
        File.WriteAllBytes(snapshot, bytes[..(bytes.Length / 2)]);
        using (var file = File.OpenHandle(path))
        {
            Assert.False(index.TryLoad(snapshot, file));
            Assert.Equal(0, index.FoldedLength);
        }

        // The journal replaced by another one (as a compaction elsewhere does): its saved index no longer applies.
        File.WriteAllBytes(snapshot, bytes);
        var other = Path.Combine(dir.Path, "other.jsonl");
        Jobs(other, 3001, "new", finished: true);
        File.Move(other, path, overwrite: true);
        using (var file = File.OpenHandle(path))
        {
            Assert.False(index.TryLoad(snapshot, file));
        }

        Assert.Equal(JournalState.Downloaded, new JobJournal(path).Find("new3000")!.State);
    }
}
