using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>
/// Runs this executable again under a probe verb and reads the measurement it prints as JSON on its last line, so
/// each measurement has a fresh process of its own.
/// </summary>
internal static class Probe
{
    /// <summary>This executable's assembly, run again by <c>dotnet</c> for child processes.</summary>
    public static string Self => typeof(Probe).Assembly.Location;

    public static async Task<T> RunAsync<T>(string verb, IEnumerable<string> arguments, TimeSpan timeout, JsonSerializerOptions? json, CancellationToken cancellationToken)
    {
        using var child = ChildProcess.StartAssembly(Self, [verb, .. arguments]);
        var line = await child.LastLineAsync(timeout, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(line, json) ?? throw new InvalidOperationException($"The {verb} probe wrote no measurement:\n{child.Output}");
    }
}
