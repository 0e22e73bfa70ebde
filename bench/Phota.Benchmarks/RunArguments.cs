using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>The options of every benchmark run (--quick, --json, --check, --only) and what they mean at its end.</summary>
internal sealed class RunArguments(IEnumerable<string> parts)
{
    public string? JsonPath { get; private set; }

    public bool Quick { get; private set; }

    public bool Check { get; private set; }

    /// <summary>The parts to run: all of them unless --only names some.</summary>
    public HashSet<string> Parts { get; private set; } = new(parts, StringComparer.Ordinal);

    /// <summary>Reads <c>args[i]</c> (and its value, moving <paramref name="i"/> past it) when it is one of these options.</summary>
    public bool TryRead(string[] args, ref int i)
    {
        switch (args[i])
        {
            case "--json" when i + 1 < args.Length:
                JsonPath = args[++i];
                return true;
            case "--quick":
                Quick = true;
                return true;
            case "--check":
                Check = true;
                return true;
            case "--only" when i + 1 < args.Length:
                Parts = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the results document to --json, and gives the exit code: 3 when --check and a target was missed.</summary>
    public async Task<int> FinishAsync<T>(T results, bool targetMissed)
    {
        if (JsonPath is not null)
        {
            await File.WriteAllTextAsync(JsonPath, JsonSerializer.Serialize(results, BenchmarkResults.JsonOptions)).ConfigureAwait(false);
            Console.WriteLine();
            Console.WriteLine($"Results written to {Path.GetFullPath(JsonPath)}");
        }

        return Check && targetMissed ? 3 : 0;
    }
}
