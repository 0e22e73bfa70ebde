using System.Net.Http.Headers;
using System.Text;
using Phota.Testing.OpenApi;

namespace Phota.Emulator.Tests.OpenApi;

public class ValidatingHandlerTests
{
    private const string BaseAddress = "http://127.0.0.1:9/";

    [Fact]
    public async Task A_conforming_response_is_counted_and_its_body_and_headers_reach_the_caller()
    {
        var validation = new ValidatingHandler(new StubHandler(_ => Json(HttpStatusCode.OK, OpenApiValidatorTests.ValidJobStatus)));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage response = await client.GetAsync("/v1/phota/jobs/j1");

        Assert.Equal(OpenApiValidatorTests.ValidJobStatus, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("req-1", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(1, validation.CheckedResponses);
        Assert.Empty(validation.Violations);
        validation.AssertNoViolations();
    }

    [Fact]
    public async Task Violations_are_collected_and_reported_together()
    {
        var validation = new ValidatingHandler(new StubHandler(request => request.RequestUri!.AbsolutePath switch
        {
            "/v1/phota/webhook-secret" => Json(HttpStatusCode.OK, """{"secret":"s"}"""),
            _ => Json(HttpStatusCode.Conflict, """{"detail":"x"}"""),
        }));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage secret = await client.GetAsync("/v1/phota/webhook-secret");
        using HttpResponseMessage conflict = await client.PostAsync("/v1/phota/enhance", new StringContent("{}"));

        Assert.Equal("""{"secret":"s"}""", await secret.Content.ReadAsStringAsync()); // still readable
        Assert.Equal(
            [
                "response 200 to GET /v1/phota/webhook-secret: $: Required properties [\"webhook_signing_secret\"] are not present (required)",
                "response 409 to POST /v1/phota/enhance: status 409 is not declared for POST /v1/phota/enhance (declared: 200, 401, 403, 402, 400, 404, 500, 503, 202, 422)",
            ],
            validation.Violations);
        var error = Assert.Throws<OpenApiViolationException>(validation.AssertNoViolations);
        Assert.Contains("2 OpenAPI violation(s)", error.Message);
        Assert.Equal(2, error.Violations.Count);

        validation.Clear();
        validation.AssertNoViolations();
    }

    [Fact]
    public async Task Throw_on_violation_fails_the_call_itself()
    {
        var validation = new ValidatingHandler(new StubHandler(_ => Json(HttpStatusCode.Accepted, """{"job_id":"j"}"""))) { ThrowOnViolation = true };
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        var error = await Assert.ThrowsAsync<OpenApiViolationException>(() => client.PostAsync("/v1/phota/edit", new StringContent("{}")));

        Assert.Equal(["response 202 to POST /v1/phota/edit: $: Required properties [\"poll_url\"] are not present (required)"], error.Violations);
        Assert.Single(validation.Violations);
    }

    [Fact]
    public async Task Paths_outside_the_api_pass_through_unchecked()
    {
        var validation = new ValidatingHandler(new StubHandler(_ => Json(HttpStatusCode.OK, "plain text, not the API")));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage response = await client.GetAsync("/_emulator/account");

        Assert.Equal("plain text, not the API", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, validation.CheckedResponses);
        Assert.Empty(validation.Violations);
    }

    [Fact]
    public async Task Image_bodies_are_not_read_only_their_status_and_media_type_are_checked()
    {
        var stream = new ReadCountingStream(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        var validation = new ValidatingHandler(new StubHandler(_ =>
        {
            var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage response = await client.GetAsync("/v1/phota/profiles/p1/profile_picture", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(0, stream.BytesRead);
        Assert.Equal(["response 200 to GET /v1/phota/profiles/p1/profile_picture: Content-Type image/png is not declared (image/jpeg)"], validation.Violations);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_length_is_handed_back_whole_and_not_validated()
    {
        // Invalid JSON, so validation would report it if the handler tried.
        byte[] large = new byte[ValidatingHandler.MaxValidatedBodyBytes + 12345];
        new Random(5).NextBytes(large);
        var validation = new ValidatingHandler(new StubHandler(_ =>
        {
            var content = new StreamContent(new ReadCountingStream(large)); // no Content-Length
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage response = await client.GetAsync("/v1/phota/profiles/ids", HttpCompletionOption.ResponseHeadersRead);

        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(large, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, validation.CheckedResponses);
        Assert.Empty(validation.Violations);
    }

    [Fact]
    public async Task Requests_are_validated_on_request_and_still_sent_intact()
    {
        string? received = null;
        var validation = new ValidatingHandler(new StubHandler(request =>
        {
            received = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return Json(HttpStatusCode.OK, """{"images":[],"download_urls":[],"known_subjects":{"counts":{}}}""");
        })) { ValidateRequests = true };
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };
        const string body = """{"prompt":"p","num_output_images":9,"aspect_ratio":"2:1"}""";

        using HttpResponseMessage response = await client.PostAsync("/v1/phota/generate", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(body, received);
        Assert.Equal(1, validation.CheckedRequests);
        Assert.Equal(
            [
                "request POST /v1/phota/generate: $.num_output_images: 9 should be at most 4.0 (maximum)",
                "request POST /v1/phota/generate: $.aspect_ratio: Value should match one of the values specified by the enum (enum)",
            ],
            validation.Violations);
    }

    [Fact]
    public async Task Request_validation_is_off_unless_asked_for()
    {
        var validation = new ValidatingHandler(new StubHandler(_ => Json(HttpStatusCode.UnprocessableEntity, """{"detail":[{"loc":["body"],"msg":"m","type":"t"}]}""")));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        using HttpResponseMessage response = await client.PostAsync("/v1/phota/generate", new StringContent("""{"num_output_images":"many"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(0, validation.CheckedRequests);
        Assert.Equal(1, validation.CheckedResponses);
        Assert.Empty(validation.Violations);
    }

    [Fact]
    public async Task Concurrent_calls_each_record_their_violation()
    {
        var validation = new ValidatingHandler(new StubHandler(_ => Json(HttpStatusCode.OK, """{"profiles":[{"profile_id":"p","status":"TRAINING"}]}""")));
        using var client = new HttpClient(validation) { BaseAddress = new Uri(BaseAddress) };

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using HttpResponseMessage response = await client.GetAsync("/v1/phota/profiles/ids");
        }));

        Assert.Equal(40, validation.CheckedResponses);
        Assert.Equal(40, validation.Violations.Count);
        Assert.All(validation.Violations, v => Assert.EndsWith("$.profiles[0].status: Value should match one of the values specified by the enum (enum)", v));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        response.Headers.Add("X-Request-Id", "req-1");
        return response;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = respond(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    /// <summary>A forward-only stream (so no Content-Length can be computed from it) that counts what is read.</summary>
    private sealed class ReadCountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(base.Read(buffer));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
