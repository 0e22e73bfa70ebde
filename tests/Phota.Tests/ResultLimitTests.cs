using System.Text.Json.Nodes;

namespace Phota.Tests;

/// <summary>Results are capped: one image's size, and no more images than were asked for.</summary>
public class ResultLimitTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task A_download_over_the_size_cap_is_refused_and_leaves_no_file()
    {
        using var t = NewClient(new ClientSettings { MaxDownloadBytes = 200 });
        var error = await Assert.ThrowsAsync<PhotaException>(() =>
            t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("big.png")) }, t.OutputOptions));
        Assert.Equal(ErrorKind.InvalidResult, error.Kind);
        Assert.Contains("larger than", error.Message);
        Assert.Empty(t.OutputFiles());
        Assert.Equal(200L * 1024 * 1024, PhotaClientOptions.Default.MaxDownloadBytes);
    }

    [Fact]
    public async Task More_download_urls_than_requested_are_refused_and_nothing_is_written()
    {
        using var t = NewClient(new ClientSettings { Handlers = () => [new ExtraUrlHandler()] });
        var error = await Assert.ThrowsAsync<PhotaException>(() =>
            t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("one.png")) }, t.OutputOptions));
        Assert.Equal(ErrorKind.InvalidResult, error.Kind);
        Assert.Contains("returned 3 images for a request of 1", error.Message);
        Assert.False(Directory.Exists(t.Output) && Directory.EnumerateFileSystemEntries(t.Output).Any());
    }

    /// <summary>Repeats a succeeded job's download URL twice more, as a broken or hostile server might.</summary>
    private sealed class ExtraUrlHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
                if (body["result"]?["download_urls"] is JsonArray urls && urls.Count > 0)
                {
                    var first = urls[0]!.GetValue<string>();
                    urls.Add(first);
                    urls.Add(first);
                }

                response.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            }

            return response;
        }
    }
}
