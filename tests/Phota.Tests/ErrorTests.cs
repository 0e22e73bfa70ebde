using System.Net;

namespace Phota.Tests;

public class ErrorTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(120);

    [Fact]
    public void Validation_errors_become_one_sentence_per_field()
    {
        const string body = """
        {"detail":[
          {"loc":["body","num_output_images"],"msg":"Input should be less than or equal to 4","type":"less_than_equal"},
          {"loc":["body","images"],"msg":"List should have at most 10 items after validation, not 11","type":"too_long"},
          {"loc":["body","image_urls",3],"msg":"Input should be a valid string","type":"string_type"},
          {"loc":["body","num_output_images"],"msg":"Second problem.","type":"x"}
        ]}
        """;
        var error = ApiErrorReader.Create((HttpStatusCode)422, body, "req-9", null, null, Max);
        Assert.Equal(ErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(3, error.FieldErrors.Count);
        Assert.Equal("Input should be less than or equal to 4; Second problem.", error.FieldErrors["num_output_images"]);
        Assert.Equal("List should have at most 10 items after validation, not 11.", error.FieldErrors["images"]);
        Assert.Equal("Input should be a valid string.", error.FieldErrors["image_urls[3]"]);
        Assert.Contains("num_output_images: Input should be less than or equal to 4; Second problem. images: List should", error.Message);
        Assert.Contains("req-9", error.Message);
    }

    [Theory]
    [InlineData(400, "CONTENT_MODERATION", ErrorKind.ContentModeration)]
    [InlineData(400, "INVALID_REQUEST", ErrorKind.InvalidRequest)]
    [InlineData(401, null, ErrorKind.InvalidApiKey)]
    [InlineData(402, null, ErrorKind.InsufficientCredit)]
    [InlineData(403, null, ErrorKind.MissingApiKey)]
    [InlineData(404, "NOT_FOUND", ErrorKind.NotFound)]
    [InlineData(404, "PROFILE_NOT_FOUND", ErrorKind.ProfileNotFound)]
    [InlineData(404, "PROFILE_NOT_READY", ErrorKind.ProfileNotReady)]
    [InlineData(410, null, ErrorKind.ResultExpired)]
    [InlineData(429, null, ErrorKind.RateLimited)]
    [InlineData(500, "INTERNAL_ERROR", ErrorKind.ServerError)]
    [InlineData(503, "SERVICE_UNAVAILABLE", ErrorKind.ServiceUnavailable)]
    public void Status_and_code_map_to_an_error_kind(int status, string? code, ErrorKind kind)
    {
        var body = code is null ? "" : $"{{\"detail\":\"d\",\"code\":\"{code}\",\"request_id\":\"body-id\"}}";
        var error = ApiErrorReader.Create((HttpStatusCode)status, body, "header-id", null, null, Max);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(code is null ? "header-id" : "body-id", error.RequestId);
        Assert.Equal(kind is ErrorKind.InvalidApiKey or ErrorKind.MissingApiKey or ErrorKind.InsufficientCredit, error.IsFatalForBatch);
    }

    [Fact]
    public void The_api_key_is_redacted_from_echoed_details()
    {
        var session = new PhotaSession("sk-very-secret-123", new Uri("http://127.0.0.1:1"));
        var error = ApiErrorReader.Create(HttpStatusCode.BadRequest, "{\"detail\":\"bad key sk-very-secret-123 given\",\"code\":\"INVALID_REQUEST\",\"request_id\":\"r\"}", null, null, session, Max);
        Assert.DoesNotContain("sk-very-secret-123", error.Message);
        Assert.DoesNotContain("sk-very-secret-123", error.Detail);
    }
}
