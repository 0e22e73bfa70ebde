using System.Text;
using Phota.Testing.OpenApi;

namespace Phota.Emulator.Tests.OpenApi;

/// <summary>The validator against the vendored spec/openapi.v0.7.0.json, with canned bodies.</summary>
public class OpenApiValidatorTests
{
    private static readonly OpenApiValidator Validator = OpenApiValidator.Vendored;

    internal const string ValidJobStatus = """
        {"job_id":"j1","status":"succeeded","operation":"edit","created_at":"2026-05-08T10:00:00Z","completed_at":"2026-05-08T10:00:05.5+00:00",
         "result":{"images":[],"download_urls":["https://files.example/x.png"],"known_subjects":{"counts":{"p1":2}}},"error":null}
        """;

    private static OpenApiValidationResult Response(string method, string path, int status, string? body, string? mediaType = "application/json") =>
        Validator.ValidateResponse(method, path, status, mediaType, body is null ? null : Encoding.UTF8.GetBytes(body));

    [Fact]
    public void The_vendored_document_loads_and_describes_the_phota_paths()
    {
        OpenApiDocument document = OpenApiDocument.Vendored;

        Assert.True(document.TryMatchPath("/v1/phota/jobs/abc-123", out string jobs, out _));
        Assert.Equal("/v1/phota/jobs/{job_id}", jobs);
        Assert.True(document.TryMatchPath("/v1/phota/profiles/ids?tag=x", out string ids, out _));
        Assert.Equal("/v1/phota/profiles/ids", ids);
        Assert.True(document.TryMatchPath("/v1/phota/profiles/p%2F1/status", out string status, out _));
        Assert.Equal("/v1/phota/profiles/{profile_id}/status", status);
        Assert.False(document.TryMatchPath("/_emulator/account", out _, out _));
        Assert.False(document.TryMatchPath("/v1/phota/jobs", out _, out _));
    }

    [Fact]
    public void A_conforming_job_status_passes()
    {
        OpenApiValidationResult result = Response("GET", "/v1/phota/jobs/j1", 200, ValidJobStatus);

        Assert.True(result.IsValid, result.ToString());
        Assert.True(result.IsApiPath);
        Assert.Equal("GET /v1/phota/jobs/{job_id}", result.Operation);
    }

    [Fact]
    public void A_pending_job_with_null_result_and_completion_passes()
    {
        const string pending = """{"job_id":"j1","status":"pending","operation":"remix","created_at":"2026-05-08T10:00:00Z","result":null,"error":null,"completed_at":null}""";

        Assert.True(Response("GET", "/v1/phota/jobs/j1", 200, pending).IsValid);
    }

    [Fact]
    public void A_status_the_operation_does_not_declare_is_a_violation()
    {
        OpenApiValidationResult result = Response("POST", "/v1/phota/edit", 418, """{"detail":"teapot"}""");

        string violation = Assert.Single(result.Violations);
        Assert.StartsWith("response 418 to POST /v1/phota/edit: status 418 is not declared for POST /v1/phota/edit (declared: 200, 401,", violation);
    }

    [Fact]
    public void Declared_statuses_without_content_accept_any_body()
    {
        Assert.True(Response("GET", "/v1/phota/jobs/j1", 410, """{"detail":"expired","code":"NOT_FOUND"}""").IsValid);
        Assert.True(Response("POST", "/v1/phota/generate", 401, null, mediaType: null).IsValid);
    }

    [Theory]
    [InlineData("""{"job_id":"j1","status":"done","operation":"edit","created_at":"2026-05-08T10:00:00Z"}""", "$.status: Value should match one of the values specified by the enum (enum)")]
    [InlineData("""{"job_id":"j1","status":"pending","operation":"edit"}""", "$: Required properties [\"created_at\"] are not present (required)")]
    [InlineData("""{"job_id":"j1","status":"pending","operation":"edit","created_at":"2026-05-08 10:00:00"}""", "$.created_at: Value does not match format \"date-time\" (format)")]
    [InlineData("""{"job_id":1,"status":"pending","operation":"edit","created_at":"2026-05-08T10:00:00Z"}""", "$.job_id: Value is \"integer\" but should be \"string\" (type)")]
    [InlineData("""{"job_id":"j","status":"succeeded","operation":"edit","created_at":"2026-05-08T10:00:00Z","result":{"known_subjects":{"counts":{"p1":1.5}}}}""",
        "$.result.known_subjects.counts.p1: Value is \"number\" but should be \"integer\" (type)", "$.result: Value is \"object\" but should be \"null\" (type)")]
    public void Job_status_violations_name_the_field(string body, params string[] expected)
    {
        OpenApiValidationResult result = Response("GET", "/v1/phota/jobs/j1", 200, body);

        Assert.Equal(expected.Select(v => $"response 200 to GET /v1/phota/jobs/j1: {v}"), result.Violations);
    }

    [Fact]
    public void A_job_handle_must_say_pending()
    {
        OpenApiValidationResult result = Response("POST", "/v1/phota/remix", 202, """{"job_id":"j","status":"running","poll_url":"/v1/phota/jobs/j"}""");

        Assert.Equal(["response 202 to POST /v1/phota/remix: $.status: Expected \"\\u0022pending\\u0022\" (const)"], result.Violations);
    }

    [Fact]
    public void Error_bodies_are_checked_against_their_status_schema()
    {
        Assert.True(Response("POST", "/v1/phota/edit", 400, """{"detail":"bad","code":"INVALID_REQUEST","request_id":"r"}""").IsValid);

        OpenApiValidationResult wrongCode = Response("POST", "/v1/phota/edit", 400, """{"detail":"bad","code":"NOT_FOUND","request_id":"r"}""");
        Assert.EndsWith("$.code: Value should match one of the values specified by the enum (enum)", Assert.Single(wrongCode.Violations));

        OpenApiValidationResult fastApi = Response("POST", "/v1/phota/edit", 422, """{"detail":[{"loc":["body","num_output_images"],"msg":"too many","type":"less_than_equal"}]}""");
        Assert.True(fastApi.IsValid, fastApi.ToString());

        OpenApiValidationResult badLoc = Response("POST", "/v1/phota/edit", 422, """{"detail":[{"loc":["body",1.5],"msg":"m","type":"t"}]}""");
        // Neither alternative of the anyOf matches, and each says why; the string "body" at loc[0] is not reported.
        Assert.Equal(
            ["$.detail[0].loc[1]: Value is \"number\" but should be \"string\" (type)", "$.detail[0].loc[1]: Value is \"number\" but should be \"integer\" (type)"],
            badLoc.Violations.Select(v => v["response 422 to POST /v1/phota/edit: ".Length..]));
    }

    [Fact]
    public void Media_type_and_json_syntax_are_checked()
    {
        Assert.Contains("Content-Type text/html is not declared (application/json)",
            Assert.Single(Response("GET", "/v1/phota/webhook-secret", 200, "<html/>", "text/html").Violations));
        Assert.Contains("the body is not valid JSON",
            Assert.Single(Response("GET", "/v1/phota/webhook-secret", 200, "{\"webhook_signing_secret\":").Violations));
        Assert.Contains("empty body, but application/json is declared",
            Assert.Single(Response("GET", "/v1/phota/webhook-secret", 200, "").Violations));
        Assert.True(Response("GET", "/v1/phota/webhook-secret", 200, """{"webhook_signing_secret":"s"}""").IsValid);
    }

    [Fact]
    public void A_profile_picture_must_be_jpeg_bytes()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0xFF, 0xD9];
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

        Assert.True(Validator.ValidateResponse("GET", "/v1/phota/profiles/p1/profile_picture", 200, "image/jpeg", jpeg).IsValid);
        Assert.Contains("not a JPEG", Assert.Single(Validator.ValidateResponse("GET", "/v1/phota/profiles/p1/profile_picture", 200, "image/jpeg", png).Violations));
        Assert.Contains("Content-Type image/png is not declared", Assert.Single(Validator.ValidateResponse("GET", "/v1/phota/profiles/p1/profile_picture", 200, "image/png", png).Violations));
        Assert.True(Validator.ValidateResponse("GET", "/v1/phota/profiles/p1/profile_picture", 200, "image/jpeg", null).IsValid); // body not read
    }

    [Fact]
    public void An_undeclared_method_on_an_api_path_is_a_violation()
    {
        OpenApiValidationResult result = Response("GET", "/v1/phota/edit", 405, null, null);

        Assert.Equal(["response 405 to GET /v1/phota/edit: GET is not an operation of /v1/phota/edit (declared: POST)"], result.Violations);
    }

    [Fact]
    public void Paths_outside_the_document_are_not_validated()
    {
        OpenApiValidationResult result = Response("GET", "/_emulator/account", 200, "not json at all");

        Assert.False(result.IsApiPath);
        Assert.True(result.IsValid);
        Assert.Equal("/_emulator/account: not an API path", result.ToString());
    }

    [Fact]
    public void Request_bodies_are_checked_against_the_request_schema()
    {
        static OpenApiValidationResult Request(string method, string path, string? body) =>
            Validator.ValidateRequest(method, path, body is null ? null : "application/json", body is null ? default : Encoding.UTF8.GetBytes(body));

        Assert.True(Request("POST", "/v1/phota/edit", """{"prompt":"p","images":["https://x/y.jpg"],"num_output_images":2,"output_format":"jpg"}""").IsValid);
        Assert.Contains("$.num_output_images: 5 should be at most 4.0 (maximum)", Assert.Single(Request("POST", "/v1/phota/edit", """{"num_output_images":5}""").Violations));
        Assert.Contains("$.output_format: Value should match one of the values specified by the enum (enum)", Assert.Single(Request("POST", "/v1/phota/generate", """{"prompt":"p","output_format":"gif"}""").Violations));
        Assert.Contains("$.image_urls: Value should have at least 5 items (minItems)", Assert.Single(Request("POST", "/v1/phota/profiles/add", """{"image_urls":["a","b","c","d"]}""").Violations));
        Assert.Contains("sends a body, but GET /v1/phota/jobs/{job_id} takes none", Assert.Single(Request("GET", "/v1/phota/jobs/j", "{}").Violations));
        Assert.Contains("request GET /v1/phota/profiles/ids: query parameter tag: Value should be at least 1 characters (minLength)", Request("GET", "/v1/phota/profiles/ids?tag=", null).Violations);
        Assert.True(Request("GET", "/v1/phota/profiles/ids?tag=user%20one", null).IsValid);
    }
}
