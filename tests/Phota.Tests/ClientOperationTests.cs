namespace Phota.Tests;

/// <summary>Every API operation through the client against the emulator over loopback.</summary>
public class ClientOperationTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Enhance_runs_async_end_to_end_and_is_journaled_and_charged_once()
    {
        using var t = NewClient();
        var before = State.BalanceOf(t.Key);
        var input = ImageInput.FromFile(t.Image("beach.png"));
        var stages = new List<StudioStage>();

        var images = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = input, NumOutputImages = 2 }, t.OutputOptions, (s, _) => stages.Add(s));

        Assert.Equal([StudioStage.Submitting, StudioStage.Waiting, StudioStage.Downloading], stages);
        Assert.Equal(["beach.enhanced-2.jpg", "beach.enhanced.jpg"], t.OutputFiles().Select(Path.GetFileName).Order());
        Assert.All(images, i => Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Detect(File.ReadAllBytes(i.Path).AsSpan(0, 16))));
        Assert.Equal([1, 2], images.Select(i => i.Variation));
        Assert.All(images, i => Assert.Equal(input.Description, i.Source));
        Assert.NotNull(images[0].JobId);
        Assert.NotNull(images[0].RequestId);
        Assert.Equal(before - 0.24m, State.BalanceOf(t.Key));

        var entry = Assert.Single(t.Client.Journal.GetEntries());
        Assert.Equal(JournalState.Downloaded, entry.State);
        Assert.Equal(images[0].JobId, entry.JobId);
        Assert.Equal(2, entry.Files.Count);
        Assert.DoesNotContain(t.Key, File.ReadAllText(t.JournalPath));
        Assert.Empty(t.Client.Journal.GetOutstanding());

        // The same input again: new names, nothing overwritten.
        var again = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = input }, t.OutputOptions);
        Assert.Equal("beach.enhanced (2).jpg", Path.GetFileName(again[0].Path));
    }

    [Fact]
    public async Task Edit_generate_and_remix_name_their_outputs_and_keep_the_requested_format()
    {
        using var t = NewClient();
        await using var files = await LoopbackFileServer.StartAsync();
        var url = files.Add("/photos/street.png", TestImages.Png(80, 80, 7), "image/png");

        var edited = await t.Client.SubmitAndSaveAsync(new EditRequest
        {
            Images = [ImageInput.FromFile(t.Image("group photo.png")), ImageInput.Parse(url)],
            Prompt = "winter scene",
            OutputFormat = OutputFormat.Png,
            AspectRatio = AspectRatio.Square,
        }, t.OutputOptions);
        Assert.Equal("group photo.edited.png", Path.GetFileName(Assert.Single(edited).Path));
        Assert.Equal(ImageFormat.Png, ImageFormatSniffer.Detect(File.ReadAllBytes(edited[0].Path).AsSpan(0, 16)));

        var generated = await t.Client.SubmitAndSaveAsync(new GenerateRequest { Prompt = "A headshot in an office", NumOutputImages = 3 }, t.OutputOptions);
        Assert.Equal(["generate-a-headshot-in-an-office.jpg", "generate-a-headshot-in-an-office-2.jpg", "generate-a-headshot-in-an-office-3.jpg"],
            generated.Select(g => Path.GetFileName(g.Path)));

        var remixed = await t.Client.SubmitAndSaveAsync(new RemixRequest { InputImage = ImageInput.Parse(url), ReferenceImage = ImageInput.FromFile(t.Image("style.png", seed: 3)) }, t.OutputOptions);
        Assert.Equal("street.remixed.jpg", Path.GetFileName(Assert.Single(remixed).Path));
        Assert.Empty(t.OutputFiles("*.partial-*"));
    }

    [Fact]
    public async Task Synchronous_mode_returns_the_response_in_bytes_or_urls()
    {
        using var t = NewClient();
        var input = ImageInput.FromFile(t.Image("sync.png"));
        var bytes = await t.Client.EnhanceAsync(new EnhanceRequest { Image = input, NumOutputImages = 2 }, ResponseMode.Bytes);
        Assert.Equal(2, bytes.Value.Images.Count);
        Assert.Empty(bytes.Value.DownloadUrls);
        Assert.NotNull(bytes.RequestId);

        var saved = await t.Client.SendSynchronousAndSaveAsync(new EnhanceRequest { Image = input }, t.OutputOptions);
        Assert.Equal("sync.enhanced.jpg", Path.GetFileName(Assert.Single(saved).Path));
        Assert.Null(saved[0].JobId);
        // Synchronous calls are not journaled jobs.
        Assert.Empty(t.Client.Journal.GetEntries());
    }

    [Fact]
    public async Task Jobs_can_be_submitted_polled_and_received_separately()
    {
        using var t = NewClient();
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("later.png")) }, t.OutputOptions);
        Assert.StartsWith("phota-ps-", job.ClientRequestId);
        Assert.Equal(JournalState.Submitted, t.Client.Journal.Find(job.JobId)!.State);

        var status = await t.Client.WaitForJobAsync(job.JobId);
        Assert.Equal(JobState.Succeeded, status.Status);
        Assert.Equal(StudioOperation.Enhance, status.Operation);
        Assert.Single(status.Result!.DownloadUrls);
        Assert.Equal(JobState.Succeeded, (await t.Client.GetJobAsync(job.JobId)).Status);

        var received = await t.Client.ReceiveJobAsync(job.JobId, t.OutputOptions);
        Assert.Equal("later.enhanced.jpg", Path.GetFileName(Assert.Single(received).Path));
        Assert.Equal(JournalState.Downloaded, t.Client.Journal.Find(job.JobId)!.State);
    }

    [Fact]
    public async Task Profiles_add_list_wait_picture_and_delete()
    {
        using var t = NewClient();
        await using var files = await LoopbackFileServer.StartAsync();
        var urls = Enumerable.Range(0, 5).Select(i => files.Add($"/train/{i}.png", TestImages.Png(96, 96, i), "image/png")).ToList();
        var tag = "user-" + Guid.NewGuid().ToString("N")[..8];
        var before = State.BalanceOf(t.Key);

        var added = await t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast, Tag = tag });
        Assert.Equal(before - 1.49m, State.BalanceOf(t.Key));
        var listed = Assert.Single(await t.Client.ListProfilesAsync(tag));
        Assert.Equal(added.ProfileId, listed.ProfileId);
        Assert.Equal($"[[{added.ProfileId}]]", listed.ToString());

        var results = new List<Profiles.ProfileWaitResult>();
        await foreach (var r in t.Client.WaitForProfilesAsync([added.ProfileId], TimeSpan.FromSeconds(20)))
        {
            results.Add(r);
        }

        Assert.True(Assert.Single(results).IsReady);
        Assert.Equal(tag, results[0].Tag);
        Assert.Equal(ProfileStatus.Ready, (await t.Client.GetProfileStatusAsync(added.ProfileId)).Status);

        var picture = await t.Client.SaveProfilePictureAsync(added.ProfileId, Path.Combine(t.Output, "alice.jpg"));
        Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Detect(File.ReadAllBytes(picture).AsSpan(0, 16)));
        using var memory = new MemoryStream();
        await t.Client.GetProfilePictureAsync(added.ProfileId, memory);
        Assert.Equal(File.ReadAllBytes(picture), memory.ToArray());

        var deleted = await t.Client.DeleteProfileAsync(added.ProfileId);
        Assert.Equal(added.ProfileId, deleted.ProfileId);
        Assert.Empty(await t.Client.ListProfilesAsync(tag));
        var gone = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.GetProfileStatusAsync(added.ProfileId));
        Assert.Equal(ErrorKind.ProfileNotFound, gone.Kind);
    }

    [Fact]
    public async Task Profile_training_failure_carries_the_server_message()
    {
        using var t = NewClient();
        await using var files = await LoopbackFileServer.StartAsync();
        // Images too small to show a subject: training ends in ERROR.
        var urls = Enumerable.Range(0, 5).Select(i => files.Add($"/tiny/{i}.png", TestImages.Png(16, 16, i), "image/png")).ToList();
        var added = await t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast });
        var results = new List<Profiles.ProfileWaitResult>();
        await foreach (var r in t.Client.WaitForProfilesAsync([added.ProfileId], TimeSpan.FromSeconds(20)))
        {
            results.Add(r);
        }

        var error = Assert.Single(results).Error;
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.ProfileTrainingFailed, error.Kind);
        Assert.Contains("No subject", error.Message);
    }

    [Fact]
    public async Task Webhook_secret_is_returned_and_verifies_signatures()
    {
        using var t = NewClient();
        var secret = await t.Client.GetWebhookSecretAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        Assert.Equal(secret, await t.Client.GetWebhookSecretAsync());
        var body = "{\"job_id\":\"j\",\"status\":\"failed\",\"operation\":\"edit\",\"created_at\":\"2026-01-01T00:00:00Z\"}"u8.ToArray();
        Assert.True(Webhooks.WebhookSignature.Verify(body, Webhooks.WebhookSignature.Compute(body, secret), secret));
    }

    [Fact]
    public async Task Every_exchange_is_logged_without_the_key()
    {
        // Jobs take 150 ms here, so the first poll certainly finds the job unfinished and a wait is logged.
        await using var slow = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 150);
        using var t = new TestClient(slow);
        await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("log.png")) }, t.OutputOptions);
        var exchanges = t.Events.Where(e => e.Kind == Http.PhotaLogEventKind.HttpExchange).ToList();
        Assert.Contains(exchanges, e => e.Method == "POST" && e.Path == "/v1/phota/enhance" && (int?)e.StatusCode == 202 && e.RequestId is not null);
        Assert.Contains(exchanges, e => e.Method == "GET" && e.Path!.StartsWith("/v1/phota/jobs/") && e.Attempt == 1);
        Assert.Contains(t.Events, e => e.Kind == Http.PhotaLogEventKind.Wait);
        Assert.All(t.Events, e => Assert.DoesNotContain(t.Key, e.ToString()));
    }
}
