using System.Net;

namespace Phota.Tests;

/// <summary>
/// A submit the server refused created no job: the journal says so, and collecting never submits it again
/// (which would charge for a request the caller saw fail).
/// </summary>
public class RefusedSubmitTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task A_submit_refused_for_a_wrong_key_is_journaled_failed_and_collect_does_not_resubmit_it()
    {
        using var t = NewClient();
        using (var wrongKey = t.Another("not-a-valid-key"))
        {
            var error = await Assert.ThrowsAsync<PhotaApiException>(() =>
                wrongKey.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("refused.png")) }, t.OutputOptions));
            Assert.Equal(ErrorKind.InvalidApiKey, error.Kind);
        }

        var entry = Assert.Single(t.Client.Journal.GetEntries());
        Assert.Equal(JournalState.Failed, entry.State);
        Assert.Null(entry.JobId);
        Assert.False(entry.IsOutstanding);
        Assert.Empty(t.Client.Journal.GetOutstanding());

        // Collecting it with a good key refuses instead of submitting (and paying for) it.
        var before = State.BalanceOf(t.Key);
        var collect = await Assert.ThrowsAsync<PhotaException>(() => t.Client.CollectAsync(entry, t.OutputOptions));
        Assert.Equal(ErrorKind.JobFailed, collect.Kind);
        Assert.Contains("no job was created", collect.Message);
        Assert.Equal(0, State.GetAccount(t.Key).Submits);
        Assert.Equal(before, State.BalanceOf(t.Key));
        Assert.DoesNotContain("not-a-valid-key", File.ReadAllText(t.JournalPath));
    }

    [Fact]
    public async Task Submits_refused_for_a_missing_profile_or_no_credit_are_journaled_failed()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.CreditUsd = 0.05m);
        using var t = new TestClient(emulator);
        var noProfile = await Assert.ThrowsAsync<PhotaApiException>(() =>
            t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("p.png")), ProfileIds = ["no-such-profile"] }, t.OutputOptions));
        Assert.Equal(ErrorKind.ProfileNotFound, noProfile.Kind);
        var broke = await Assert.ThrowsAsync<PhotaApiException>(() =>
            t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("c.png")) }, t.OutputOptions));
        Assert.Equal(ErrorKind.InsufficientCredit, broke.Kind);

        var entries = t.Client.Journal.GetEntries();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalState.Failed, e.State));
        Assert.Equal(["PROFILE_NOT_FOUND", "InsufficientCredit"], entries.Select(e => e.ErrorCode));
        Assert.Empty(t.Client.Journal.GetOutstanding());
    }

    [Fact]
    public async Task A_refusal_after_an_attempt_that_may_have_run_stays_recoverable()
    {
        using var t = NewClient();
        using var client = t.Another("not-a-valid-key", new ClientSettings { Handlers = () => [new LoseFirstResponseHandler()] });
        var error = await Assert.ThrowsAsync<PhotaApiException>(() =>
            client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("m.png")) }, t.OutputOptions));
        Assert.Equal(ErrorKind.InvalidApiKey, error.Kind);

        // The first attempt's answer was lost, so this client cannot be sure no job exists: the intent stays.
        var entry = Assert.Single(client.Journal.GetEntries());
        Assert.Equal(JournalState.Intent, entry.State);
    }

    /// <summary>Sends the first request, then drops its answer as a broken connection would.</summary>
    private sealed class LoseFirstResponseHandler : DelegatingHandler
    {
        private int _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            return response;
        }
    }
}
