using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Phota.Emulator;
using Xunit.Abstractions;

namespace Phota.Reliability.Tests;

/// <summary>
/// The emulator under bounded concurrent load from 32 library clients (8 accounts), 5,000 HTTP requests in total over
/// loopback, with 2% injected 503s: no errors but the injected ones (all retried away), balances exact per account,
/// every job accounted for. Prints throughput and latency percentiles (see docs/benchmarks.md).
/// </summary>
[Collection(HeavyCollection.Name)]
public class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int Accounts = 8;
    private const int RequestBudget = 5000;

    [Fact]
    public async Task Thirty_two_clients_and_5000_requests_leave_no_error_exact_balances_and_every_job_accounted_for()
    {
        var keys = Enumerable.Range(0, Accounts).Select(i => $"load-key-{i}").ToList();
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions
        {
            TimeScale = Phota.Testing.EmulatorFixture.FastTimeScale,
            JobMilliseconds = 5,
            CreditUsd = 10_000m,
            Fault503Rate = 0.02,
            FaultRetryAfterSeconds = 0,
            FaultSeed = 5,
        }.WithKeys(keys));

        var requests = 0;
        var injected = 0;
        var latencies = new ConcurrentBag<double>();
        void Observe(PhotaLogEvent e)
        {
            if (e.Kind != PhotaLogEventKind.HttpExchange)
            {
                return;
            }

            Interlocked.Increment(ref requests);
            if ((int?)e.StatusCode == 503)
            {
                Interlocked.Increment(ref injected);
            }

            latencies.Add(e.Elapsed!.Value.TotalMilliseconds);
        }

        var clients = Enumerable.Range(0, Clients).Select(i => new TestClient(emulator, keys[i % Accounts], new ClientSettings())).ToList();
        var jobsByKey = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentQueue<Exception>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(clients.Select((t, index) => Task.Run(async () =>
            {
                // Every client has its own input; its log also feeds the shared tally.
                var input = ImageInput.FromFile(t.Image($"load-{index}.png", seed: index));
                var options = new OutputOptions { Directory = t.Output };
                var round = 0;
                while (Volatile.Read(ref requests) < RequestBudget && !limit.IsCancellationRequested)
                {
                    try
                    {
                        if (round++ % 4 == 3)
                        {
                            await t.Client.ListProfilesAsync(cancellationToken: limit.Token);
                        }
                        else
                        {
                            var saved = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = input }, options, cancellationToken: limit.Token);
                            jobsByKey.AddOrUpdate(t.Key, 1, (_, n) => n + 1);
                            await t.Client.GetJobAsync(saved[0].JobId!, limit.Token);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        errors.Enqueue(e);
                    }

                    foreach (var e in t.Events)
                    {
                        Observe(e);
                    }

                    t.Events.Clear();
                }
            }, limit.Token)));
        }
        finally
        {
            clock.Stop();
        }

        var sorted = latencies.OrderBy(l => l).ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c, "{0} clients, {1} accounts: {2} HTTP requests ({3} injected 503s) in {4:0.0} s = {5:0} requests/s; latency p50 {6:0.0} ms, p95 {7:0.0} ms, p99 {8:0.0} ms, max {9:0.0} ms; {10} jobs",
            Clients, Accounts, requests, injected, clock.Elapsed.TotalSeconds, requests / clock.Elapsed.TotalSeconds,
            Percentile(0.50), Percentile(0.95), Percentile(0.99), sorted[^1], jobsByKey.Values.Sum()));

        Assert.False(limit.IsCancellationRequested, "The load did not finish within its time bound.");
        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(5)));
        // Each client stops at the budget but finishes the job it is on (a few requests, plus any retries).
        Assert.InRange(requests, RequestBudget, RequestBudget + Clients * 12);
        Assert.True(injected > 0, "Some 503s should have been injected and retried.");
        foreach (var key in keys)
        {
            var jobs = jobsByKey.GetValueOrDefault(key);
            Assert.True(jobs > 0);
            var serverJobs = emulator.State.JobsOf(key);
            Assert.Equal(jobs, serverJobs.Count);
            Assert.Equal(jobs, serverJobs.Select(j => j.ClientRequestId).Distinct().Count());
            Assert.Equal(10_000m - jobs * 0.12m, emulator.State.BalanceOf(key));
        }

        foreach (var t in clients)
        {
            var entries = t.Client.Journal.GetEntries();
            Assert.All(entries, e => Assert.Equal(JournalState.Downloaded, e.State));
            Assert.Equal(entries.Count, t.OutputFiles("*.jpg").Length);
            Assert.Empty(t.OutputFiles("*.partial-*"));
            t.Dispose();
        }
    }
}

internal static class EmulatorOptionsExtensions
{
    public static EmulatorOptions WithKeys(this EmulatorOptions options, IEnumerable<string> keys)
    {
        options.ApiKeys.AddRange(keys);
        return options;
    }
}
