using System.Globalization;
using Phota.Emulator.Options;

namespace Phota.Emulator.Tests;

/// <summary>The command line other tools rely on: option names, values, defaults, --help, errors, binding rules.</summary>
public sealed class CommandLineTests
{
    private static EmulatorOptions Parse(params string[] args)
    {
        var result = EmulatorCommandLine.Parse(args);
        Assert.Null(result.Error);
        return result.Options!;
    }

    [Fact]
    public void Defaults_match_the_documents()
    {
        var o = Parse();
        Assert.Equal("http://127.0.0.1:5080", o.Urls);
        Assert.Equal(["phota-emulator-key"], o.EffectiveApiKeys);
        Assert.Equal(100m, o.CreditUsd);
        Assert.Equal(1.0, o.TimeScale);
        Assert.Null(o.JobMilliseconds);
        Assert.Equal(TimeSpan.FromSeconds(600), o.SyncTimeLimit);
        Assert.Equal(TimeSpan.FromHours(24), o.ResultExpiry);
        Assert.Equal(TimeSpan.FromHours(24), o.DownloadLinkExpiry);
        Assert.Equal(TimeSpan.FromMinutes(3), o.QuickTrainDuration);
        Assert.Equal(TimeSpan.FromMinutes(8), o.FullTrainDuration);
        Assert.Equal((2.90m, 1.49m, 0.12m, 0.15m), (o.PriceProfileStandard, o.PriceProfileFast, o.PriceEnhance, o.PriceEnhanceIdentity));
        Assert.Equal(80L * 1024 * 1024, o.MaxBodyBytes);
        Assert.False(o.AllowRemoteFetch);
        Assert.False(o.AllowNonLoopback);
        Assert.Equal((0.0, 0, 0.0, 0.0), (o.Fault503Rate, o.Fault503Burst, o.FaultAbortRate, o.FaultJobFailRate));
    }

    [Fact]
    public void Every_documented_option_is_parsed()
    {
        var o = Parse("--urls", "http://127.0.0.1:6000", "--api-key", "k1", "--api-key=k2", "--credit", "12.34", "--time-scale", "0.001",
            "--job-ms", "250", "--fault-503-rate", "0.25", "--fault-503-burst", "3", "--fault-retry-after", "9", "--fault-latency-ms", "40",
            "--fault-abort-rate", "0.1", "--fault-job-fail-rate", "0.5", "--fault-job-fail-code", "dispatch_failed", "--fault-seed", "7",
            "--state-file", "/tmp/s.json", "--allow-remote-fetch", "--allow-non-loopback", "--price-default", "0.2", "--price-identity-default", "0.3",
            "--price-model", "gpt-image-2=0.4:0.5", "--price-model", "reve=0.06", "--price-profile-standard", "3", "--price-profile-fast", "1",
            "--blocked-term", "spoiler", "--sync-limit-s", "30", "--result-expiry-s", "60", "--link-expiry-s", "90", "--inactive-after-s", "120",
            "--max-body-mb", "1.5", "--callback-attempts", "2");
        Assert.Equal("http://127.0.0.1:6000", o.Urls);
        Assert.Equal(["k1", "k2"], o.ApiKeys);
        Assert.Equal(12.34m, o.CreditUsd);
        Assert.Equal(0.001, o.TimeScale);
        Assert.Equal(250, o.JobMilliseconds);
        Assert.Equal((0.25, 3, 9, 40, 0.1, 0.5), (o.Fault503Rate, o.Fault503Burst, o.FaultRetryAfterSeconds, o.FaultLatencyMs, o.FaultAbortRate, o.FaultJobFailRate));
        Assert.Equal("dispatch_failed", o.FaultJobFailCode);
        Assert.Equal(7, o.FaultSeed);
        Assert.Equal("/tmp/s.json", o.StateFile);
        Assert.True(o.AllowRemoteFetch && o.AllowNonLoopback);
        Assert.Equal((0.2m, 0.3m, 3m, 1m), (o.PriceDefault, o.PriceIdentityDefault, o.PriceProfileStandard, o.PriceProfileFast));
        Assert.Equal(new ModelPrice(0.4m, 0.5m), o.ModelPrices["gpt-image-2"]);
        Assert.Equal(new ModelPrice(0.06m, 0.06m), o.ModelPrices["reve"]);
        Assert.Equal(["spoiler"], o.BlockedTerms);
        Assert.Equal((30.0, 60.0, 90.0, 120.0), (o.SyncTimeLimit.TotalSeconds, o.ResultExpiry.TotalSeconds, o.DownloadLinkExpiry.TotalSeconds, o.ProfileInactiveAfter.TotalSeconds));
        Assert.Equal((long)(1.5 * 1024 * 1024), o.MaxBodyBytes);
        Assert.Equal(2, o.CallbackAttempts);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--credit")]
    [InlineData("--credit", "lots")]
    [InlineData("--time-scale", "0")]
    [InlineData("--fault-503-rate", "1.5")]
    [InlineData("--fault-500-rate", "-0.1")]
    [InlineData("--job-ms", "4000-1000")]
    [InlineData("--job-ms", "1000-")]
    [InlineData("--no-job-retry-after")] // removed: the hint is off unless --job-retry-after
    [InlineData("--fault-job-fail-code", "exploded")]
    [InlineData("--price-model", "nb2")]
    [InlineData("--allow-remote-fetch=yes")]
    public void Invalid_command_lines_are_refused_with_a_message(params string[] args)
    {
        var result = EmulatorCommandLine.Parse(args);
        Assert.Null(result.Options);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Job_times_hints_and_500s_are_set_from_the_command_line_and_off_by_default()
    {
        var defaults = EmulatorCommandLine.Parse([]).Options!;
        Assert.False(defaults.JobRetryAfterHint);
        Assert.Equal(0, defaults.Fault500Rate);
        Assert.Null(defaults.JobMillisecondsMax);

        var fixedTime = EmulatorCommandLine.Parse(["--job-ms", "250"]).Options!;
        Assert.Equal(250, fixedTime.JobMilliseconds);
        Assert.Null(fixedTime.JobMillisecondsMax);

        var options = EmulatorCommandLine.Parse(["--job-ms", "1000-4000", "--seed", "9", "--job-retry-after", "--fault-500-rate", "0.25"]).Options!;
        Assert.Equal(1000, options.JobMilliseconds);
        Assert.Equal(4000, options.JobMillisecondsMax);
        Assert.Equal(9, options.Seed);
        Assert.True(options.JobRetryAfterHint);
        Assert.Equal(0.25, options.Fault500Rate);
    }

    [Fact]
    public void Help_lists_every_option_with_its_default()
    {
        Assert.True(EmulatorCommandLine.Parse(["--help"]).ShowHelp);
        var help = EmulatorCommandLine.HelpText();
        foreach (var name in new[] { "--urls", "--api-key", "--credit", "--time-scale", "--job-ms", "--seed", "--job-retry-after", "--fault-500-rate", "--fault-503-rate", "--fault-503-burst",
                     "--fault-retry-after", "--fault-retry-after-ms", "--fault-latency-ms", "--fault-abort-rate", "--fault-job-fail-rate", "--fault-job-fail-code",
                     "--fault-seed", "--state-file", "--allow-remote-fetch", "--allow-non-loopback", "--price-default", "--help" })
            Assert.Contains(name + " ", help);
        Assert.Contains("[phota-emulator-key]", help);
        Assert.Contains("[100]", help);
    }

    [Fact]
    public async Task RunAsync_answers_help_and_bad_options_with_exit_codes()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var original = Console.Out;
        var originalError = Console.Error;
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            Assert.Equal(0, await EmulatorProgram.RunAsync(["--help"]));
            Assert.Equal(2, await EmulatorProgram.RunAsync(["--no-such-option"]));
            Assert.Equal(1, await EmulatorProgram.RunAsync(["--urls", "http://0.0.0.0:0"]));
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }

        var text = output.ToString();
        Assert.Contains("--fault-job-fail-code", text);
        Assert.Contains("--no-such-option", text);
        Assert.Contains("--allow-non-loopback", text);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://192.0.2.10:0")]
    public async Task Non_loopback_addresses_are_refused_unless_allowed(string url)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RunningEmulator.StartAsync(new EmulatorOptions(), url));
        Assert.Contains("--allow-non-loopback", error.Message);
    }

    [Fact]
    public async Task Port_zero_binds_a_free_loopback_port_and_reports_it()
    {
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions());
        Assert.Equal("127.0.0.1", emulator.BaseAddress.Host);
        Assert.True(emulator.BaseAddress.Port > 0);
        Assert.Equal(emulator.BaseAddress, Assert.Single(emulator.Addresses));
    }
}
