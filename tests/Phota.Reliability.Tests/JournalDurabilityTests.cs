using System.Diagnostics;
using System.Text.Json;

namespace Phota.Reliability.Tests;

/// <summary>
/// The journal under stress: several processes writing at once, a crash that cuts a line, a disk that turns
/// read-only or fills up. It stays readable, loses nothing recorded before, and no money is spent on a job it cannot record.
/// </summary>
public class JournalDurabilityTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    private static string HelperAssembly => typeof(Program).Assembly.Location;

    [Fact]
    public async Task Two_processes_and_this_one_appending_at_once_lose_and_corrupt_nothing()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        var environment = new Dictionary<string, string?> { [JobJournal.PathVariable] = path };
        using var a = ChildProcess.StartAssembly(HelperAssembly, ["journal-append", "a", "600"], environment);
        using var b = ChildProcess.StartAssembly(HelperAssembly, ["journal-append", "b", "600"], environment);
        await a.WaitForLineAsync("ready", TimeSpan.FromSeconds(60));
        await b.WaitForLineAsync("ready", TimeSpan.FromSeconds(60));
        var local = new JobJournal(path);
        for (var i = 0; i < 300; i++)
        {
            local.Append(new JournalRecord { Type = JournalRecordTypes.Intent, Time = DateTimeOffset.UtcNow, ClientRequestId = "c-" + i }, durable: false);
        }

        Assert.Equal(0, await a.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2 * 1200 + 300, lines.Length);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        var entries = local.GetEntries();
        Assert.Equal(1500, entries.Count);
        Assert.Equal(1200, entries.Count(e => e.State == JournalState.Submitted && e.JobId == "job-" + e.ClientRequestId));
    }

    [Fact]
    public async Task Two_processes_running_batches_against_one_journal_record_every_job()
    {
        using var dir = new TempDir();
        var journal = Path.Combine(dir.Path, "journal.jsonl");
        var key = NewAccount();
        var environment = new Dictionary<string, string?>
        {
            ["PHOTA_API_KEY"] = key,
            ["PHOTA_BASE_URL"] = Emulator.BaseAddress.ToString(),
            [JobJournal.PathVariable] = journal,
        };
        var children = new List<ChildProcess>();
        for (var p = 0; p < 2; p++)
        {
            for (var i = 0; i < 12; i++)
            {
                dir.File(Path.Combine($"in{p}", $"p{p}-{i:D2}.png"), TestImages.Png(48, 3, p * 100 + i));
            }

            children.Add(ChildProcess.StartAssembly(HelperAssembly, ["batch", Path.Combine(dir.Path, $"in{p}"), Path.Combine(dir.Path, "out")], environment));
        }

        try
        {
            foreach (var child in children)
            {
                Assert.True(await child.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, child.Output);
                Assert.Contains("done 12 0", child.Output);
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        var entries = new JobJournal(journal).GetEntries();
        Assert.Equal(24, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalState.Downloaded, e.State));
        var serverJobs = State.JobsOf(key);
        Assert.Equal(24, serverJobs.Count);
        Assert.All(serverJobs, j => Assert.Contains(entries, e => e.JobId == j.JobId && e.ClientRequestId == j.ClientRequestId));
        var files = Directory.GetFiles(Path.Combine(dir.Path, "out"));
        Assert.Equal(24, files.Length);
        Assert.All(files, f => Assert.Null(TestImages.JpegProblem(File.ReadAllBytes(f))));
    }

    [Fact]
    public async Task A_journal_cut_mid_line_by_a_crash_keeps_every_earlier_job_and_takes_new_ones()
    {
        using var t = NewClient();
        for (var i = 0; i < 3; i++)
        {
            await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"c{i}.png", seed: i)) }, t.OutputOptions);
        }

        // The crash cut the last record ("downloaded" of the third job) in half, and the disk then added zeros.
        var bytes = await File.ReadAllBytesAsync(t.JournalPath);
        var lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        var cut = bytes[..(lastLineStart + (bytes.Length - lastLineStart) / 2)].Concat(new byte[64]).ToArray();
        await File.WriteAllBytesAsync(t.JournalPath, cut);

        var entries = t.Client.Journal.GetEntries();
        Assert.Equal(3, entries.Count);
        Assert.Equal(2, entries.Count(e => e.State == JournalState.Downloaded));
        var third = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal("c2.enhanced", third.OutputStem);
        Assert.Single(third.Files);

        // Collecting the third finds its file already saved: nothing is downloaded or written again.
        var saved = await t.Client.CollectAsync(third);
        Assert.Equal(third.Files[1], Assert.Single(saved).Path);
        Assert.Equal(3, t.OutputFiles().Length);

        await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("after.png")) }, t.OutputOptions);
        entries = t.Client.Journal.GetEntries();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalState.Downloaded, e.State));
    }

    [Fact]
    public async Task A_read_only_journal_folder_stays_readable_and_no_submit_is_sent()
    {
        using var t = NewClient();
        var first = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("ro-1.png")) }, t.OutputOptions);
        var journalDir = Path.GetDirectoryName(t.JournalPath)!;
        using var readOnly = ReadOnlyFolder.Make(journalDir);
        var submitsBefore = State.GetAccount(t.Key).Submits;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("ro-2.png")) }, t.OutputOptions));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"A read-only journal should fail at once, took {clock.Elapsed}.");
        Assert.Equal(ErrorKind.JournalUnavailable, error.Kind);
        Assert.Contains(t.JournalPath, error.Message);
        Assert.Contains("Nothing was submitted", error.Message);
        Assert.Equal(submitsBefore, State.GetAccount(t.Key).Submits);
        Assert.Single(State.JobsOf(t.Key));

        var entry = Assert.Single(t.Client.Journal.GetEntries());
        Assert.Equal(first.JobId, entry.JobId);
        // Collecting still works: the files are saved even though their journal lines cannot be.
        var saved = await t.Client.CollectAsync(entry);
        Assert.Equal("ro-1.enhanced.jpg", Path.GetFileName(Assert.Single(saved).Path));
    }

    [TmpfsFact]
    public async Task A_full_disk_refuses_the_submit_before_spending_and_loses_no_earlier_job()
    {
        using var dir = new TempDir();
        using var disk = Tmpfs.Mount(Path.Combine(dir.Path, "disk"), 64);
        using var t = NewClient();
        var journalPath = Path.Combine(disk.Path, "journal.jsonl");
        using var client = new PhotaClient(new Sessions.PhotaSession(t.Key, Emulator.BaseAddress), TestClient.FastOptions(journalPath));
        var first = await client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("full-1.png")) }, t.OutputOptions);
        // Pad the journal to a whole page (blank lines are skipped), so the next record needs a page the full disk
        // does not have; otherwise it would land in the last page's free tail, which is not a full disk for it.
        var length = new FileInfo(journalPath).Length;
        await File.AppendAllTextAsync(journalPath, new string('\n', (int)(4096 - length % 4096)));
        var filler = disk.Fill();

        var error = await Assert.ThrowsAsync<PhotaException>(() => client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("full-2.png")) }, t.OutputOptions));
        Assert.Equal(ErrorKind.JournalUnavailable, error.Kind);
        Assert.Contains("disk space", error.Message);
        Assert.Single(State.JobsOf(t.Key));
        Assert.Equal(1, State.GetAccount(t.Key).Submits);
        var entry = Assert.Single(client.Journal.GetEntries());
        Assert.Equal(first[0].JobId, entry.JobId);
        Assert.Equal(JournalState.Downloaded, entry.State);

        // Space again: the journal takes new jobs and still has the old one.
        File.Delete(filler);
        await client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("full-3.png")) }, t.OutputOptions);
        var entries = client.Journal.GetEntries();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalState.Downloaded, e.State));
    }

    [TmpfsFact]
    public async Task A_full_output_disk_is_a_clear_error_with_no_partial_file_and_the_job_stays_collectable()
    {
        using var t = NewClient();
        using var disk = Tmpfs.Mount(Path.Combine(t.Dir.Path, "disk"), 64);
        var output = new OutputOptions { Directory = disk.Path };
        var filler = disk.Fill();

        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("nospace.png")) }, output));
        Assert.Equal(ErrorKind.OutputFailed, error.Kind);
        Assert.Contains(disk.Path, error.Message);
        Assert.Equal(["filler.bin"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));

        File.Delete(filler);
        var entry = Assert.Single(t.Client.Journal.GetOutstanding());
        var saved = await t.Client.CollectAsync(entry);
        Assert.Null(TestImages.JpegProblem(await File.ReadAllBytesAsync(Assert.Single(saved).Path)));
        Assert.Single(State.JobsOf(t.Key));
    }
}

/// <summary>A folder made read-only: by remounting a tmpfs when running as root (root ignores permissions), else by chmod.</summary>
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly Action _undo;

    private ReadOnlyFolder(Action undo) => _undo = undo;

    public static ReadOnlyFolder Make(string folder)
    {
        if (Environment.UserName == "root")
        {
            if (Tmpfs.Unavailable.Value is { } reason)
            {
                throw new InvalidOperationException("Running as root, a read-only folder needs a tmpfs: " + reason);
            }

            // Move the folder's files onto a tmpfs mounted in its place, then make that read-only.
            var saved = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
            var disk = Tmpfs.Mount(folder, 256);
            foreach (var (name, content) in saved)
            {
                File.WriteAllBytes(Path.Combine(folder, name), content);
            }

            disk.MakeReadOnly();
            return new ReadOnlyFolder(disk.Dispose);
        }

        if (OperatingSystem.IsWindows())
        {
            // Windows ignores a folder's read-only flag for new files: make the journal and its lock file read-only.
            var files = Directory.GetFiles(folder);
            foreach (var file in files)
            {
                File.SetAttributes(file, FileAttributes.ReadOnly);
            }

            return new ReadOnlyFolder(() => Array.ForEach(files, f => File.SetAttributes(f, FileAttributes.Normal)));
        }

        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        foreach (var file in Directory.GetFiles(folder))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead);
        }

        return new ReadOnlyFolder(() =>
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, mode);
            }
        });
    }

    public void Dispose() => _undo();
}
