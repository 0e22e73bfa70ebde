using System.Runtime.InteropServices;
using Phota.Emulator.Options;

namespace Phota.Emulator;

/// <summary>Command-line entry point: parses the options, starts the server, prints where it listens and runs until Ctrl+C.</summary>
public static class EmulatorProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = EmulatorCommandLine.Parse(args);
        if (parsed.ShowHelp)
        {
            Console.Out.Write(EmulatorCommandLine.HelpText());
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            Console.Error.WriteLine(parsed.Error);
            return 2;
        }

        RunningEmulator emulator;
        try
        {
            emulator = await RunningEmulator.StartAsync(options, options.Urls).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or InvalidOperationException)
        {
            Console.Error.WriteLine($"The Phota emulator could not start: {ex.Message}");
            return 1;
        }

        await using (emulator.ConfigureAwait(false))
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.TrySetResult();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.TrySetResult();
            });

            foreach (var line in StartupBanner(emulator, options)) Console.Out.WriteLine(line);
            await stop.Task.ConfigureAwait(false);
            Console.Out.WriteLine("Stopping the Phota emulator.");
        }

        return 0;
    }

    internal static IEnumerable<string> StartupBanner(RunningEmulator emulator, EmulatorOptions options)
    {
        yield return $"Phota API emulator listening on {string.Join(", ", emulator.Addresses.Select(a => a.ToString().TrimEnd('/')))}";
        if (options.ApiKeys.Count == 0)
            yield return $"API key: {EmulatorOptions.DefaultApiKey}   (send it in the X-API-Key header)";
        else
            // Keys given on the command line are the caller's own: confirm how many, never echo them.
            yield return $"API keys: the {emulator.ApiKeys.Count} key(s) passed with --api-key   (send one in the X-API-Key header)";
        yield return $"Credit per key: ${options.CreditUsd:0.00}; time scale: {options.TimeScale:0.######}" +
                     (options.JobMilliseconds is { } ms ? $"; job time: {ms}{(options.JobMillisecondsMax is { } max && max != ms ? $"-{max}" : "")} ms" : "") +
                     (options.StateFile is { } file ? $"; state file: {file}" : "");
        if (options.StaticDirectory is { Length: > 0 } folder)
            yield return $"Static files: {Path.GetFullPath(folder)} at {new Uri(emulator.BaseAddress, Files.StaticFileEndpoints.PathPrefix)}<path>";
        yield return "Press Ctrl+C to stop.";
    }
}
