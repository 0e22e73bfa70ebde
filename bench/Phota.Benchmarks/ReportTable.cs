using System.Globalization;

namespace Phota.Benchmarks;

/// <summary>The results as plain-text tables for the console.</summary>
internal static class ReportTable
{
    public static void Write(BenchmarkResults r, TextWriter o)
    {
        var m = r.Machine;
        o.WriteLine();
        o.WriteLine($"Phota benchmarks ({m.Mode}) on {m.Cores} cores, {m.MemoryGb} GB, {m.Os}, {m.Dotnet}; load {m.LoadAvgStart?.ToString(CultureInfo.InvariantCulture) ?? "?"} -> {m.LoadAvgEnd?.ToString(CultureInfo.InvariantCulture) ?? "?"}; {m.DurationS} s");
        if (r.Throughput.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Throughput (enhance of a small photo, saved to disk); slot = lead + server work + detect, per item");
            Table(o, ["mode", "conc", "n", "job ms", "hint", "wall ms", "ideal ms", "ratio", "req/s", "polls/job", "min-gap waits", "slot ms", "lead ms", "detect ms", "tail ms", "client CPU", "server CPU", "other CPU", "failed"],
                r.Throughput.Concat(r.ThroughputDiagnostics).Select(t => new[]
                {
                    t.Mode + (t.Variant is null ? string.Empty : $" ({t.Variant.Replace('_', ' ')})"), I(t.Concurrency), I(t.N),
                    t.JobMs is [var lo, var hi] ? (lo == hi ? I(lo) : $"{I(lo)}-{I(hi)}") : I(t.ServerMs), t.ServerHint ? "yes" : "no", F(t.WallMs, 0), F(t.IdealMs, 0), F(t.Ratio, 3), F(t.RequestsPerS, 2),
                    t.PollsPerJob is { } p ? F(p, 2) : "-", t.Stages?.FlooredPollWaits is { } fl ? I(fl) : "-", D(t.Stages?.MeanSlotMs), D(t.Stages?.MeanLeadMs), D(t.Stages?.MeanDetectMs), D(t.Stages?.TailMs),
                    F(t.ClientCpuMs, 0), F(t.ServerCpuMs, 0), D(t.OtherCpuMs), I(t.Failed),
                }));
            if (r.JournalProbe is { } j)
            {
                o.WriteLine($"Journal: one durable append {j.SingleAppendP50Ms} ms (p50); {j.Callers} at once: mean {j.LibraryMeanWaitMs} ms, last {j.LibraryLastDoneMs} ms; " +
                            $"group-commit model: mean {j.GroupCommitMeanWaitMs} ms, last {j.GroupCommitLastDoneMs} ms, {j.GroupCommitFsyncsPerRound} fsyncs per {j.Callers}");
            }
        }

        if (r.Upload.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Upload (one async submit of a local JPEG, fresh client process, medians)");
            Table(o, ["mode", "file MB", "allocated MB", "alloc/file", "peak WS MB", "WS growth MB", "CPU ms/MB", "upload ms"],
                r.Upload.Select(u => new[]
                {
                    u.Mode, F(u.FileMb, 0), F(u.AllocatedMb, 2), F(u.AllocatedRatio, 2), F(u.PeakWsMb, 1), F(u.PeakWsGrowthMb, 1), F(u.CpuMsPerMb, 2), F(u.UploadMs, 0),
                }));
        }

        if (r.Download is { } d)
        {
            o.WriteLine();
            o.WriteLine($"Download ({d.Outputs} outputs at {d.Width}x{d.Height} {d.Format}, {d.TotalMb} MB in all; raw concurrent fetch {d.RawFetchMs:0} ms)");
            Table(o, ["mode", "wall ms", "allocated MB", "CPU ms", "requests"],
                new[] { ("library", d.Library), ("naive", d.Naive) }.Select(x => new[] { x.Item1, F(x.Item2.WallMs, 0), F(x.Item2.AllocatedMb, 2), F(x.Item2.CpuMs, 0), I(x.Item2.HttpRequests) }));
        }

        if (r.Polling is { } p2)
        {
            o.WriteLine();
            o.WriteLine($"Polling (emulator sends a hint on pending jobs by default: {(p2.EmulatorSendsRetryAfter ? "yes" : "no")})");
            Table(o, ["server ms", "retry-after", "jobs", "polls/job", "requests/job", "wait ms", "noticed after ms", "hinted answers"],
                p2.Rows.Select(x => new[] { I(x.ServerMs), x.RetryAfter, I(x.Jobs), F(x.PollsPerJob, 2), F(x.RequestsPerJob, 2), F(x.MeanWaitMs, 0), F(x.MeanDetectDelayMs, 0), $"{x.PendingWithHint}/{x.PendingResponses}" }));
        }

        if (r.Targets.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Targets");
            Table(o, ["target", "required", "measured", "met"],
                r.Targets.Select(t => new[] { t.Name, t.Target, F(t.Measured, 3), t.Met ? "yes" : "NO" }));
        }
    }

    private static string D(double? value) => value is { } v ? F(v, 1) : "-";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static void Table(TextWriter o, string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        o.WriteLine(string.Join("  ", headers.Select((h, i) => i == 0 ? h.PadRight(widths[i]) : h.PadLeft(widths[i]))));
        o.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all)
        {
            o.WriteLine(string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        }
    }
}
