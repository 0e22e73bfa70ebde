using System.Text;
using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>
/// What a hand-written <c>Invoke-RestMethod</c> loop does: read the whole file, <c>Convert.ToBase64String</c>, build
/// the request as a dictionary, serialize all of it to one JSON string, send it, parse the whole answer, then fetch
/// the result into memory and write it out. One request at a time. It reuses one <see cref="HttpClient"/> (and so its
/// connections), which is kinder to it than a new client per call would be.
/// </summary>
internal sealed class NaiveClient(Uri baseAddress, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>POST /v1/phota/enhance of one file; synchronous mode holds the connection until the result is ready.</summary>
    public async Task<JsonDocument> EnhanceAsync(string imagePath, bool asynchronous, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(imagePath, cancellationToken).ConfigureAwait(false);
        var body = new Dictionary<string, object?>
        {
            ["image"] = Convert.ToBase64String(bytes),
            ["output_format"] = "jpg",
            ["response_mode"] = "urls",
            ["async"] = asynchronous,
        };
        var json = JsonSerializer.Serialize(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/phota/enhance")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", apiKey);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"enhance answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text);
    }

    /// <summary>Downloads every result URL into memory, then writes it to a file (like <c>Invoke-WebRequest -OutFile</c> in a loop).</summary>
    public async Task<int> SaveResultsAsync(JsonDocument response, string directory, string stem, CancellationToken cancellationToken)
    {
        var saved = 0;
        foreach (var url in response.RootElement.GetProperty("download_urls").EnumerateArray())
        {
            var bytes = await _http.GetByteArrayAsync(url.GetString(), cancellationToken).ConfigureAwait(false);
            saved++;
            await File.WriteAllBytesAsync(Path.Combine(directory, $"{stem}-{saved}.jpg"), bytes, cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    public void Dispose() => _http.Dispose();
}
