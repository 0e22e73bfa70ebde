using System.Net;
using System.Net.Http.Headers;
using Polly.Timeout;

namespace Phota.Tests;

public class RetryTests
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(120);

    public static TheoryData<int, bool, bool, bool> StatusTable => new()
    {
        // status, read (GET), keyed async submit, unrepeatable (sync POST)
        { 400, false, false, false },
        { 401, false, false, false },
        { 402, false, false, false },
        { 403, false, false, false },
        { 404, false, false, false },
        { 408, true, true, false },
        { 410, false, false, false },
        { 422, false, false, false },
        { 429, true, true, false },
        { 500, true, true, false },
        { 502, true, true, false },
        { 503, true, true, true },
        { 504, true, true, false },
    };

    [Theory]
    [MemberData(nameof(StatusTable))]
    public void Status_codes_are_retried_only_where_the_api_allows(int status, bool read, bool submit, bool unrepeatable)
    {
        var error = ApiErrorReader.Create((HttpStatusCode)status, "{}", "rid", null, null, MaxRetryAfter);
        Assert.Equal(read, RetryClassifier.RetryReason(RequestKind.Read, error, MaxRetryAfter) is not null);
        Assert.Equal(submit, RetryClassifier.RetryReason(RequestKind.IdempotentSubmit, error, MaxRetryAfter) is not null);
        Assert.Equal(unrepeatable, RetryClassifier.RetryReason(RequestKind.Unrepeatable, error, MaxRetryAfter) is not null);
    }

    [Fact]
    public void Transport_failures_are_retried_for_unrepeatable_requests_only_before_sending()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var broken = new HttpRequestException(HttpRequestError.ResponseEnded, "ended");
        var midBody = new IOException("reset");
        var timeout = new TimeoutRejectedException();
        var tls = new HttpRequestException(HttpRequestError.SecureConnectionError, "bad certificate");

        Assert.NotNull(RetryClassifier.RetryReason(RequestKind.Unrepeatable, refused, MaxRetryAfter));
        Assert.Null(RetryClassifier.RetryReason(RequestKind.Unrepeatable, broken, MaxRetryAfter));
        Assert.Null(RetryClassifier.RetryReason(RequestKind.Unrepeatable, midBody, MaxRetryAfter));
        Assert.Null(RetryClassifier.RetryReason(RequestKind.Unrepeatable, timeout, MaxRetryAfter));
        foreach (var kind in new[] { RequestKind.Read, RequestKind.IdempotentSubmit })
        {
            Assert.NotNull(RetryClassifier.RetryReason(kind, refused, MaxRetryAfter));
            Assert.NotNull(RetryClassifier.RetryReason(kind, broken, MaxRetryAfter));
            Assert.NotNull(RetryClassifier.RetryReason(kind, midBody, MaxRetryAfter));
            Assert.NotNull(RetryClassifier.RetryReason(kind, timeout, MaxRetryAfter));
            Assert.Null(RetryClassifier.RetryReason(kind, tls, MaxRetryAfter));
            Assert.Null(RetryClassifier.RetryReason(kind, new OperationCanceledException(), MaxRetryAfter));
            Assert.Null(RetryClassifier.RetryReason(kind, new PhotaInputException("x", "y", "z"), MaxRetryAfter));
        }
    }

    [Fact]
    public void A_retry_after_beyond_the_cap_is_not_retried_but_reported_as_rate_limiting()
    {
        var error = ApiErrorReader.Create(HttpStatusCode.ServiceUnavailable, "{\"detail\":\"busy\",\"code\":\"SERVICE_UNAVAILABLE\",\"request_id\":\"r1\"}",
            null, TimeSpan.FromSeconds(300), null, MaxRetryAfter);
        Assert.Null(RetryClassifier.RetryReason(RequestKind.Read, error, MaxRetryAfter));
        Assert.Equal(ErrorKind.RateLimited, error.Kind);
        Assert.Contains("300 s", error.Message);
        Assert.Contains("r1", error.Message);
    }

    [Theory]
    [InlineData(null, "5", 5000.0)]
    [InlineData("1500", "5", 1500.0)]
    [InlineData("250.5", null, 250.5)]
    [InlineData(null, "0", 0.0)]
    [InlineData(null, "-3", 0.0)]
    [InlineData(null, "Wed, 21 Oct 2015 07:28:30 GMT", 30000.0)]
    [InlineData(null, "Wed, 21 Oct 2015 07:27:00 GMT", 0.0)]
    public void Retry_after_ms_wins_then_seconds_or_http_date(string? ms, string? retryAfter, double expectedMs)
    {
        using var response = new HttpResponseMessage();
        if (ms is not null) response.Headers.TryAddWithoutValidation("retry-after-ms", ms);
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        var now = new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterParser.Parse(response.Headers, now));
    }

    [Fact]
    public void No_or_garbage_retry_after_is_null()
    {
        using var response = new HttpResponseMessage();
        Assert.Null(RetryAfterParser.Parse(response.Headers, DateTimeOffset.UtcNow));
        Assert.Null(RetryAfterParser.Parse("soon", DateTimeOffset.UtcNow));
    }
}
