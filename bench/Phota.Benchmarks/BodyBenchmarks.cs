using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Phota.Images;

namespace Phota.Benchmarks;

/// <summary>
/// Micro-measurements (BenchmarkDotNet, with allocations) of the client-side work before a request leaves: the naive
/// body (whole file, base64 string, serialized JSON string, UTF-8 bytes) against the library's per-file check
/// (<see cref="ImageInput.FromFile"/>: header and tail only; the body itself is then streamed while sending).
/// Run with: <c>dotnet run -c Release --project bench/Phota.Benchmarks -- micro --filter *BodyBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class BodyBenchmarks
{
    private string _directory = string.Empty;
    private string _file = string.Empty;

    [Params(1, 8)]
    public int FileMb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("phota-micro-").FullName;
        _file = TestImages.PaddedJpeg(_directory, FileMb * 1024L * 1024);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "naive: ReadAllBytes + ToBase64String + JsonSerializer + UTF-8")]
    public int NaiveBody()
    {
        var body = new Dictionary<string, object?>
        {
            ["image"] = Convert.ToBase64String(File.ReadAllBytes(_file)),
            ["output_format"] = "jpg",
            ["response_mode"] = "urls",
        };
        return System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(body));
    }

    [Benchmark(Description = "library: ImageInput.FromFile (the body is streamed later)")]
    public long LibraryFileCheck() => ImageInput.FromFile(_file).Length ?? 0;
}
