using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Phota.Emulator;

namespace Phota.Emulator.Tests.Support;

/// <summary>Test helpers: clients, JSON requests and responses, error assertions, input images.</summary>
internal static class Api
{
    /// <summary>A client for <paramref name="emulator"/>; every response it sees is checked against the OpenAPI document.</summary>
    public static HttpClient Client(RunningEmulator emulator, string? apiKey = "") =>
        EmulatorFixture.CreateClient(emulator, apiKey, Conformance.CreateHandler());

    public static HttpClient Client(EmulatorFixture fixture, string? apiKey = "") => Client(fixture.Emulator, apiKey);

    /// <summary>A client whose responses are not checked: only for statuses the document does not declare (504, 405).</summary>
    public static HttpClient UncheckedClient(RunningEmulator emulator, string? apiKey = "") =>
        EmulatorFixture.CreateClient(emulator, apiKey, Conformance.CreateUncheckedHandler());

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    /// <summary>Asserts status (and code); checks X-Request-Id and that the body repeats it; returns the body.</summary>
    public static async Task<JsonNode> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        if (status != HttpStatusCode.UnprocessableEntity)
        {
            Assert.Equal(requestId, (string?)body["request_id"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)body["detail"]));
        }

        if (code is not null) Assert.Equal(code, (string?)body["code"]);
        return body;
    }

    /// <summary>Asserts a 422 with an error at <paramref name="loc"/> of <paramref name="type"/>.</summary>
    public static async Task<JsonNode> Assert422Async(this HttpResponseMessage response, string type, params object[] loc)
    {
        var body = await response.AssertErrorAsync(HttpStatusCode.UnprocessableEntity);
        var expectedLoc = new JsonArray(loc.Select(l => l is int i ? JsonValue.Create(i) : (JsonNode?)JsonValue.Create(l.ToString())).ToArray()).ToJsonString();
        var errors = body["detail"]!.AsArray();
        Assert.Contains(errors, e => (string?)e!["type"] == type && e["loc"]!.ToJsonString() == expectedLoc);
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty((string?)e!["msg"])));
        return body;
    }

    public static async Task<JsonNode> OkJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Single(response.Headers.GetValues("X-Request-Id"));
        return JsonNode.Parse(text)!;
    }

    public static byte[] Png(int width, int height, int seed = 1) => TestImages.Synthetic(width, height, ImageFormatKind.Png, seed);

    public static byte[] Jpeg(int width, int height, int seed = 1) => TestImages.Synthetic(width, height, ImageFormatKind.Jpeg, seed);

    public static string PngBase64(int width = 64, int height = 64, int seed = 1) => Convert.ToBase64String(Png(width, height, seed));

    /// <summary>Reads an image's facts the way a client would: from the bytes.</summary>
    public static ImageInfo Probe(byte[] bytes) => ImageProbe.Probe(bytes);

    public static async Task<JsonNode> AccountAsync(this HttpClient client) =>
        await (await client.GetAsync("/_emulator/account")).OkJsonAsync();

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}
