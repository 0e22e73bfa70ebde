using System.Globalization;
using System.Text;
using Phota.Images;
using Phota.Jobs;
using Phota.Studio;

namespace Phota.Benchmarks.Scale;

/// <summary>
/// Journals of many finished jobs in the real format: one enhance job is run through the library against the
/// emulator, and its journal lines (intent, submitted, completed, file, downloaded) are repeated with fresh ids,
/// times and file names.
/// </summary>
internal sealed class JournalSynthesizer
{
    private readonly string[] _template;
    private readonly string _clientRequestId;
    private readonly string _jobId;
    private readonly string _stem;
    private readonly IReadOnlyList<string> _times;

    private JournalSynthesizer(string[] template, string clientRequestId, string jobId, string stem, IReadOnlyList<string> times)
        => (_template, _clientRequestId, _jobId, _stem, _times) = (template, clientRequestId, jobId, stem, times);

    /// <summary>Runs one real job and keeps its journal lines as the template.</summary>
    public static async Task<JournalSynthesizer> CaptureAsync(BenchEmulator emulator, string work, CancellationToken cancellationToken)
    {
        var journal = Path.Combine(work, "template.jsonl");
        var output = Directory.CreateDirectory(Path.Combine(work, "template-out")).FullName;
        var photo = TinyPhoto(work, "template-photo.jpg", 1);
        using var client = emulator.Client(new PhotaClientOptions { JournalPath = journal });
        var images = await client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(photo) }, new OutputOptions { Directory = output }, null, cancellationToken).ConfigureAwait(false);
        var lines = await File.ReadAllLinesAsync(journal, cancellationToken).ConfigureAwait(false);
        var entry = client.Journal.GetEntries().Single();
        var times = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("time").GetString()!).Distinct().ToList();
        return new JournalSynthesizer(lines, entry.ClientRequestId, entry.JobId!, Path.GetFileNameWithoutExtension(images[0].Path), times);
    }

    /// <summary>A small JPEG (96 x 72) rendered by the emulator's synthetic renderer.</summary>
    public static string TinyPhoto(string directory, string name, int seed) => TestImages.SyntheticJpegFile(directory, name, 96, 72, seed);

    /// <summary>Bytes per job in the journal.</summary>
    public int BytesPerJob => _template.Sum(l => Encoding.UTF8.GetByteCount(l) + 1);

    /// <summary>
    /// Writes <paramref name="finished"/> finished jobs, their times spread evenly from <paramref name="oldest"/> to
    /// <paramref name="newest"/>, plus <paramref name="outstanding"/> jobs that were submitted and never collected.
    /// </summary>
    public void Write(string path, int finished, int outstanding, DateTimeOffset oldest, DateTimeOffset newest)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20) { NewLine = "\n" };
        var total = finished + outstanding;
        var span = newest - oldest;
        for (var i = 0; i < total; i++)
        {
            var time = oldest.AddTicks(total <= 1 ? 0 : (long)(span.Ticks * (i / (double)(total - 1)))).ToString("O", CultureInfo.InvariantCulture);
            var id = i.ToString("x8", CultureInfo.InvariantCulture);
            var lines = i < finished ? _template : _template.Where(l => l.Contains("\"type\":\"intent\"", StringComparison.Ordinal) || l.Contains("\"type\":\"submitted\"", StringComparison.Ordinal));
            foreach (var line in lines)
            {
                var text = line
                    .Replace(_clientRequestId, _clientRequestId[..^8] + id, StringComparison.Ordinal)
                    .Replace(_jobId, _jobId[..^8] + id, StringComparison.Ordinal)
                    .Replace(_stem, _stem + "-" + id, StringComparison.Ordinal);
                foreach (var t in _times)
                {
                    text = text.Replace(t, time, StringComparison.Ordinal);
                }

                writer.WriteLine(text);
            }
        }
    }
}
