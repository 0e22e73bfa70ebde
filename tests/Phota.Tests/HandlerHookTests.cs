namespace Phota.Tests;

public class HandlerHookTests
{
    private sealed class RecordingHandler : DelegatingHandler
    {
        public List<(string Path, bool HadKey, int Status)> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (Seen)
            {
                Seen.Add((request.RequestUri!.AbsolutePath, request.Headers.Contains("X-API-Key"), (int)response.StatusCode));
            }

            return response;
        }
    }

    [Fact]
    public async Task Inserted_handlers_see_every_exchange_and_fresh_requests_per_attempt()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.Fault503Burst = 1; o.FaultRetryAfterSeconds = 0; });
        var handler = new RecordingHandler();
        using var t = new TestClient(emulator, settings: new ClientSettings { Handlers = () => [handler] });
        await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("h.png")) }, t.OutputOptions);

        Assert.Equal([503, 202], handler.Seen.Where(s => s.Path == "/v1/phota/enhance").Select(s => s.Status));
        Assert.Contains(handler.Seen, s => s.Path.StartsWith("/v1/phota/jobs/") && s.Status == 200);
        Assert.All(handler.Seen, s => Assert.True(s.HadKey));
    }
}
