using BenchmarkDotNet.Running;
using Phota.Benchmarks;
using Phota.Emulator;

// Verbs used by the harness itself: an emulator host and a one-upload probe, each in its own process.
if (args.Length > 0 && args[0] == BenchEmulator.Verb)
{
    return await EmulatorProgram.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == UploadProbe.Verb)
{
    return await UploadProbe.RunAsync(args[1..]);
}

// The scale part (journal size, compaction, 10,000 photos) and its per-measurement probe processes.
if (args.Length > 0 && args[0] is Phota.Benchmarks.Scale.ScaleBenchmark.Verb or Phota.Benchmarks.Scale.ScaleProbe.Verb)
{
    return args[0] == Phota.Benchmarks.Scale.ScaleBenchmark.Verb
        ? await Phota.Benchmarks.Scale.ScaleBenchmark.RunAsync(args[1..])
        : await Phota.Benchmarks.Scale.ScaleProbe.RunAsync(args[1..]);
}

// BenchmarkDotNet micro-measurements of the body building (not part of the JSON document).
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(BodyBenchmarks).Assembly).Run(args[1..]);
    return 0;
}

var run = new RunArguments(["throughput", "upload", "download", "polling"]);
int? n = null;
int[]? concurrencies = null;
for (var i = 0; i < args.Length; i++)
{
    if (run.TryRead(args, ref i))
    {
        continue;
    }

    switch (args[i])
    {
        case "--n" when i + 1 < args.Length:
            n = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--concurrency" when i + 1 < args.Length:
            concurrencies = args[++i].Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            break;
        case "--help" or "-h":
            Console.WriteLine("""
                Phota benchmarks: throughput, upload, download and polling against the emulator on loopback.

                  dotnet run -c Release --project bench/Phota.Benchmarks -- [--quick] [--json results.json] [--only throughput,upload,download,polling] [--check]

                  --quick   smaller N and files, same shape; no-hint rows on 1-4 s jobs only, the full run adds 10-30 s
                            (about 4.5 minutes; with --check, the pre-submission regression check)
                  --json    write the results document to this file
                  --only    run only these parts
                  --n       hinted 200 ms batch size instead of the mode's (200 full, 128 quick; the quick naive loop runs 32);
                            the no-hint rows always run 128 jobs (naive: 32)
                  --concurrency  comma-separated library concurrencies instead of 1,4,8,16 (quick: 4,8,16)
                  --check   exit with code 3 when a target is missed
                  micro     BenchmarkDotNet micro-measurements of request body building (pass BenchmarkDotNet options after it)
                """);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --help.");
            return 2;
    }
}

var settings = run.Quick ? BenchSettings.QuickRun : BenchSettings.Full;
if (n is { } count)
{
    settings = settings with { ThroughputN = Math.Clamp(count, 1, 1000), NaiveN = null };
}

if (concurrencies is not null)
{
    settings = settings with { Concurrencies = concurrencies.Select(c => Math.Clamp(c, 1, 64)).ToArray() };
}

using var limit = new CancellationTokenSource(settings.TimeLimit);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    limit.Cancel();
};

var results = await new BenchmarkSuite(settings, run.Parts, Console.Out).RunAsync(limit.Token);
ReportTable.Write(results, Console.Out);
return await run.FinishAsync(results, results.Targets.Any(t => !t.Met));
