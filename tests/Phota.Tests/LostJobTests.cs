using System.Net;
using System.Text;

namespace Phota.Tests;

/// <summary>
/// A journaled job the server answers 404 for: lost when this key submitted it (recorded failed, never resubmitted),
/// still outstanding when another key did.
/// </summary>
public class LostJobTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task A_job_this_key_submitted_that_comes_back_404_is_journaled_lost_and_not_resubmitted()
    {
        using var t = NewClient();
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("lost.png")) }, t.OutputOptions);

        using var forgetful = t.Another(settings: Forgetful);
        var error = await Assert.ThrowsAsync<PhotaApiException>(() => forgetful.CollectAsync(forgetful.Journal.Find(job.JobId)!));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("lost", error.Message);
        Assert.Equal(ErrorCause.JobLost, error.Cause);
        Assert.Equal(job.JobId, error.JobId);

        var entry = t.Client.Journal.Find(job.JobId)!;
        Assert.Equal(JournalState.Failed, entry.State);
        Assert.Equal("lost", entry.ErrorCode);
        Assert.Empty(t.Client.Journal.GetOutstanding());
        var collect = await Assert.ThrowsAsync<PhotaException>(() => t.Client.CollectAsync(entry));
        Assert.Equal(ErrorKind.JobFailed, collect.Kind);
        Assert.Equal(1, State.GetAccount(t.Key).Submits);
    }

    [Fact]
    public async Task A_404_for_a_job_known_to_have_finished_is_an_expired_result_not_a_lost_job()
    {
        // NOT_FOUND also covers "an expired job result": a job the journal saw finish is marked expired, not lost.
        using var t = NewClient();
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("old.png")) }, t.OutputOptions);
        await t.Client.WaitForJobAsync(job.JobId);
        Assert.Equal(JournalState.Completed, t.Client.Journal.Find(job.JobId)!.State);

        using var forgetful = t.Another(settings: Forgetful);
        var error = await Assert.ThrowsAsync<PhotaApiException>(() => forgetful.CollectAsync(forgetful.Journal.Find(job.JobId)!));
        Assert.Equal(ErrorKind.ResultExpired, error.Kind);
        Assert.Contains("results are kept 24 hours", error.Message);
        Assert.DoesNotContain("lost", error.Message);
        var entry = t.Client.Journal.Find(job.JobId)!;
        Assert.Equal(JournalState.Expired, entry.State);
        Assert.Empty(t.Client.Journal.GetOutstanding());
        Assert.Equal(1, State.GetAccount(t.Key).Submits);
    }

    [Fact]
    public async Task A_404_for_a_job_another_key_submitted_leaves_it_outstanding()
    {
        using var t = NewClient();
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("mine.png")) }, t.OutputOptions);

        using var other = t.Another(NewAccount());
        var error = await Assert.ThrowsAsync<PhotaApiException>(() => other.GetJobAsync(job.JobId));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("different key", error.Message);
        Assert.Equal(ErrorCause.SubmittedWithOtherKey, error.Cause);
        Assert.Equal(JournalState.Submitted, t.Client.Journal.Find(job.JobId)!.State);

        var saved = await t.Client.CollectAsync(t.Client.Journal.Find(job.JobId)!);
        Assert.Single(saved);
    }

    /// <summary>A client whose server no longer knows any job.</summary>
    private static ClientSettings Forgetful { get; } = new() { Handlers = () => [new JobNotFoundHandler()] };

    /// <summary>Answers every job status request as the API does for a job it does not know.</summary>
    private sealed class JobNotFoundHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("{\"detail\":\"Job not found.\",\"code\":\"NOT_FOUND\"}", Encoding.UTF8, "application/json"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
