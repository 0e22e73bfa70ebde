using System.Security.Cryptography;
using System.Text;
using Phota.Webhooks;

namespace Phota.Tests;

public class WebhookTests
{
    private const string Secret = "whsec_test_0123456789";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "{\"job_id\":\"job_1\",\"status\":\"succeeded\",\"operation\":\"enhance\",\"result\":{\"images\":[],\"download_urls\":[\"https://cdn/x.jpg\"],\"known_subjects\":{\"counts\":{\"p1\":2}}},\"created_at\":\"2026-05-01T10:00:00Z\",\"completed_at\":\"2026-05-01T10:00:05Z\"}");

    private static string Independent()
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        return BitConverter.ToString(hmac.ComputeHash(Body)).Replace("-", string.Empty).ToLowerInvariant();
    }

    [Fact]
    public void Accepts_lowercase_uppercase_and_prefixed_hex()
    {
        var hex = Independent();
        Assert.Equal(hex, WebhookSignature.Compute(Body, Secret));
        Assert.True(WebhookSignature.Verify(Body, hex, Secret));
        Assert.True(WebhookSignature.Verify(Body, hex.ToUpperInvariant(), Secret));
        Assert.True(WebhookSignature.Verify(Body, "sha256=" + hex, Secret));
        Assert.True(WebhookSignature.Verify(Body, "SHA256=" + hex.ToUpperInvariant(), Secret));
    }

    [Fact]
    public void Refuses_missing_malformed_forged_and_modified()
    {
        var hex = Independent();
        Assert.False(WebhookSignature.Verify(Body, null, Secret));
        Assert.False(WebhookSignature.Verify(Body, "", Secret));
        Assert.False(WebhookSignature.Verify(Body, hex[..62], Secret));
        Assert.False(WebhookSignature.Verify(Body, hex[..62] + "zz", Secret));
        Assert.False(WebhookSignature.Verify(Body, WebhookSignature.Compute(Body, "another-secret"), Secret));
        var modified = (byte[])Body.Clone();
        modified[10] ^= 1;
        Assert.False(WebhookSignature.Verify(modified, hex, Secret));
        var error = Assert.Throws<PhotaException>(() => WebhookSignature.ParseVerified(modified, hex, Secret));
        Assert.Equal(ErrorKind.InvalidSignature, error.Kind);
    }

    [Fact]
    public void Parses_a_verified_body_into_the_job_status()
    {
        var status = WebhookSignature.ParseVerified(Body, Independent(), Secret);
        Assert.Equal("job_1", status.JobId);
        Assert.Equal(JobState.Succeeded, status.Status);
        Assert.Equal(StudioOperation.Enhance, status.Operation);
        Assert.Equal(2, status.Result!.KnownSubjects.Counts["p1"]);
        Assert.Equal("https://cdn/x.jpg", status.Result.DownloadUrls[0]);
    }

    [Fact]
    public void Unknown_enum_values_are_tolerated()
    {
        var status = WebhookSignature.ParseBody("{\"job_id\":\"j\",\"status\":\"paused\",\"operation\":\"upscale\",\"created_at\":\"2026-05-01T10:00:00Z\"}"u8);
        Assert.Equal("paused", status.Status.Value);
        Assert.False(status.Status.IsKnown);
        Assert.False(status.IsFinished);
    }
}
