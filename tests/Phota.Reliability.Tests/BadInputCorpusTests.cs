using System.Text;
using Phota.Emulator;
using Phota.Webhooks;

namespace Phota.Reliability.Tests;

/// <summary>An emulator at real time scale (so a new profile stays in training) with fast jobs, and one profile in training.</summary>
public sealed class CorpusEmulator : IAsyncLifetime
{
    public RunningEmulator Emulator { get; private set; } = null!;

    public LoopbackFileServer Files { get; private set; } = null!;

    public string TrainingProfileId { get; private set; } = null!;

    public IReadOnlyList<string> ProfileUrls { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Emulator = await RunningEmulator.StartAsync(new EmulatorOptions { TimeScale = 1, JobMilliseconds = 20 });
        Files = await LoopbackFileServer.StartAsync();
        ProfileUrls = Enumerable.Range(0, 5).Select(i => Files.Add($"/face/{i}.png", TestImages.Png(64, 64, i), "image/png")).ToList();
        using var dir = new TempDir();
        using var client = new PhotaClient(new PhotaSession(Emulator.ApiKeys[0], Emulator.BaseAddress), TestClient.FastOptions(Path.Combine(dir.Path, "j.jsonl")));
        TrainingProfileId = (await client.AddProfileAsync(new AddProfileRequest { ImageUrls = ProfileUrls, TrainingTier = TrainingTier.Fast })).ProfileId;
    }

    public async Task DisposeAsync()
    {
        await Files.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// Table-driven bad input: each case gets a clear error that names the input and says how to fix it, before any money
/// is spent where the library can tell; inputs that look odd but are valid (HEIC, unicode and spaces) are accepted.
/// </summary>
public class BadInputCorpusTests(CorpusEmulator fixture) : IClassFixture<CorpusEmulator>
{
    private const string Secret = "whsec_corpus_secret";

    /// <summary>What a case does, the kind of error it must raise, and the words its message must contain.</summary>
    private sealed record Case(Func<TestClient, CorpusEmulator, Task> Act, ErrorKind Kind, params string[] MessageMentions);

    private static readonly byte[] CallbackBody = Encoding.UTF8.GetBytes("{\"job_id\":\"job_1\",\"status\":\"succeeded\",\"operation\":\"enhance\",\"created_at\":\"2026-01-01T00:00:00Z\"}");

    private static readonly Dictionary<string, Case> Corpus = new()
    {
        ["zero-byte file"] = new((t, _) => FromFile(t, "empty.jpg", []), ErrorKind.InvalidInput, "empty.jpg", "0 bytes", "JPEG, PNG, WebP or HEIC"),
        ["text file named .jpg"] = new((t, _) => FromFile(t, "notes.jpg", "just some notes\n"u8.ToArray()), ErrorKind.InvalidInput, "notes.jpg", "text", "Convert it"),
        ["truncated JPEG"] = new((t, _) => FromFile(t, "cut.jpg", TestImages.JpegLike(4096)[..2500]), ErrorKind.InvalidInput, "cut.jpg", "truncated", "again"),
        ["60 MB image"] = new((t, _) => Task.FromResult(ImageInput.FromFile(SparseJpeg(t, "huge.jpg", 60L * 1024 * 1024))), ErrorKind.InvalidInput, "huge.jpg", "60 MB", "50 MB", "Resize"),
        ["wildcard matching nothing"] = new((t, _) => Task.FromResult(ImageInput.Parse(Path.Combine(t.Dir.Path, "in", "*.nothing"))), ErrorKind.InvalidInput, "*.nothing", "matches no file", "pattern"),
        ["directory"] = new((t, _) => Task.FromResult(ImageInput.Parse(Directory.CreateDirectory(Path.Combine(t.Dir.Path, "albums")).FullName)), ErrorKind.InvalidInput, "albums", "directory", "image files inside it"),
        ["missing file"] = new((t, _) => Task.FromResult(ImageInput.Parse(Path.Combine(t.Dir.Path, "gone.jpg"))), ErrorKind.InvalidInput, "gone.jpg", "not found", "Check the path"),
        ["non-http(s) URL"] = new((_, _) => Task.FromResult(ImageInput.Parse("ftp://photos.example.com/a.jpg")), ErrorKind.InvalidInput, "ftp://photos.example.com/a.jpg", "'ftp' URLs", "http(s) URL"),
        ["URL with credentials"] = new((_, _) => Task.FromResult(ImageInput.Parse("https://ann:hunter2@photos.example.com/a.jpg")), ErrorKind.InvalidInput, "photos.example.com/a.jpg", "credentials", "pre-signed URL"),
        ["unreachable base URI"] = new(async (t, f) =>
        {
            using var client = new PhotaClient(new PhotaSession(t.Key, new Uri("http://127.0.0.1:9/")), t.Options);
            await client.ListProfilesAsync();
        }, ErrorKind.Unreachable, "127.0.0.1:9", "Could not reach"),
        ["wrong API key"] = new(async (t, f) =>
        {
            using var client = new PhotaClient(new PhotaSession("phota-wrong-key-0000", f.Emulator.BaseAddress), t.Options);
            await client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("k.png")) }, t.OutputOptions);
        }, ErrorKind.InvalidApiKey, "refused the API key", "HTTP 401"),
        ["profile id that does not exist"] = new((t, _) => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("p.png")), ProfileIds = ["prof-missing"] }, t.OutputOptions),
            ErrorKind.ProfileNotFound, "prof-missing", "does not exist"),
        ["profile id not ready"] = new((t, f) => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("r.png")), ProfileIds = [f.TrainingProfileId] }, t.OutputOptions),
            ErrorKind.ProfileNotReady, "not finished training", "HTTP 404 PROFILE_NOT_READY"),
        ["Count 0"] = new((t, _) => t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("c.png")), NumOutputImages = 0 }), ErrorKind.InvalidInput, "num_output_images", "1 to 4"),
        ["eleven images for one edit"] = new((t, _) => t.Client.SubmitAsync(new EditRequest
        {
            Images = Enumerable.Range(0, 11).Select(i => ImageInput.FromFile(t.Image($"e{i}.png", seed: i))).ToList(), Prompt = "winter",
        }), ErrorKind.InvalidInput, "images", "11 images", "at most 10"),
        ["tag of 129 characters (add)"] = new((t, f) => t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = f.ProfileUrls, TrainingTier = TrainingTier.Fast, Tag = new string('t', 129) }),
            ErrorKind.InvalidInput, "tag", "129 characters", "1 to 128"),
        ["tag of 129 characters (list)"] = new((t, _) => t.Client.ListProfilesAsync(new string('t', 129)), ErrorKind.InvalidInput, "tag", "129 characters", "1 to 128"),
        ["non-https callback URL"] = new((t, _) => t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("cb.png")), CallbackUrl = "http://hooks.example.com/phota" }),
            ErrorKind.InvalidInput, "callback_url", "http://hooks.example.com/phota", "https"),
        ["missing webhook signature"] = new((_, _) => Task.FromResult(WebhookSignature.ParseVerified(CallbackBody, null, Secret)), ErrorKind.InvalidSignature, "no X-Phota-Signature", "cannot be trusted"),
        ["malformed webhook signature"] = new((_, _) => Task.FromResult(WebhookSignature.ParseVerified(CallbackBody, "sha256=not-hex-at-all", Secret)), ErrorKind.InvalidSignature, "X-Phota-Signature", "does not match"),
        ["forged webhook signature"] = new((_, _) => Task.FromResult(WebhookSignature.ParseVerified(CallbackBody, WebhookSignature.Compute(CallbackBody, "whsec_someone_else"), Secret)),
            ErrorKind.InvalidSignature, "X-Phota-Signature", "modified"),
        ["webhook body modified by one byte"] = new((_, _) =>
        {
            var signature = WebhookSignature.Compute(CallbackBody, Secret);
            var tampered = (byte[])CallbackBody.Clone();
            tampered[tampered.Length / 2] ^= 0x01;
            return Task.FromResult(WebhookSignature.ParseVerified(tampered, signature, Secret));
        }, ErrorKind.InvalidSignature, "X-Phota-Signature", "modified"),
    };

    public static TheoryData<string> Cases => new(Corpus.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_input_gets_a_clear_error_naming_it_and_the_fix_and_costs_nothing(string name)
    {
        var key = fixture.Emulator.ApiKeys[0];
        using var t = new TestClient(fixture.Emulator);
        var before = fixture.Emulator.State.GetAccount(key);
        var @case = Corpus[name];

        var error = await Assert.ThrowsAnyAsync<PhotaException>(() => @case.Act(t, fixture));

        Assert.Equal(@case.Kind, error.Kind);
        foreach (var mention in @case.MessageMentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }

        if (error is PhotaInputException input)
        {
            Assert.False(string.IsNullOrWhiteSpace(input.Input));
            Assert.False(string.IsNullOrWhiteSpace(input.Fix));
            Assert.Contains(input.Fix, input.Message);
        }

        Assert.DoesNotContain("hunter2", error.ToString());
        Assert.DoesNotContain(key, error.ToString());
        var after = fixture.Emulator.State.GetAccount(key);
        Assert.Equal(before.BalanceUsd, after.BalanceUsd);
        Assert.Empty(t.OutputFiles());
    }

    [Fact]
    public async Task HEIC_and_unicode_or_space_laden_paths_are_accepted_end_to_end()
    {
        using var t = new TestClient(fixture.Emulator);
        var heic = ImageInput.FromFile(t.Dir.File(Path.Combine("in", "IMG_0001.HEIC"), TestImages.Heic(640, 40)));
        Assert.Equal(ImageFormat.Heif, heic.Format);
        var unicode = ImageInput.Parse(t.Dir.File(Path.Combine("in", "Fotos del día", "mi foto ñ 🌅 (1).png"), TestImages.Png(48, 3, 9)));
        Assert.Equal("mi foto ñ 🌅 (1)", unicode.Name);

        var fromHeic = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = heic }, t.OutputOptions);
        var fromUnicode = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = unicode }, t.OutputOptions);

        Assert.Equal("IMG_0001.enhanced.jpg", Path.GetFileName(Assert.Single(fromHeic).Path));
        Assert.Equal("mi foto ñ 🌅 (1).enhanced.jpg", Path.GetFileName(Assert.Single(fromUnicode).Path));
        Assert.All(t.OutputFiles(), f => Assert.Null(TestImages.JpegProblem(File.ReadAllBytes(f))));
    }

    [Fact]
    public async Task Bad_items_in_a_batch_fail_alone_and_the_rest_of_the_batch_completes()
    {
        using var t = new TestClient(fixture.Emulator);
        var key = fixture.Emulator.ApiKeys[0];
        var before = fixture.Emulator.State.BalanceOf(key);
        var items = new List<(string Name, StudioRequest Request, string? Mention)>
        {
            ("good-1", new EnhanceRequest { Image = ImageInput.FromFile(t.Image("good-1.png")) }, null),
            ("count-0", new EnhanceRequest { Image = ImageInput.FromFile(t.Image("zero.png")), NumOutputImages = 0 }, "num_output_images"),
            ("eleven", new EditRequest { Images = Enumerable.Range(0, 11).Select(i => ImageInput.FromFile(t.Image($"x{i}.png", seed: i))).ToList(), Prompt = "snow" }, "11 images"),
            ("no-image", new EditRequest { Images = [], Prompt = "snow" }, "no input image"),
            ("missing-profile", new EnhanceRequest { Image = ImageInput.FromFile(t.Image("mp.png")), ProfileIds = ["prof-missing"] }, "prof-missing"),
            ("training-profile", new EnhanceRequest { Image = ImageInput.FromFile(t.Image("tp.png")), ProfileIds = [fixture.TrainingProfileId] }, "not finished training"),
            ("http-callback", new EnhanceRequest { Image = ImageInput.FromFile(t.Image("hc.png")), CallbackUrl = "http://hooks.example.com/x" }, "callback_url"),
            ("good-2", new EnhanceRequest { Image = ImageInput.FromFile(t.Dir.File(Path.Combine("in", "IMG 2.HEIC"), TestImages.Heic(640, 40))) }, null),
        };

        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 3 });
        foreach (var item in items)
        {
            batch.Add(new BatchItem(item.Request, item.Name));
        }

        batch.Complete();
        var results = new Dictionary<string, BatchItemResult>();
        await foreach (var r in batch.ReadAllAsync())
        {
            results[(string)r.Item.State!] = r;
        }

        Assert.Equal(items.Count, results.Count);
        Assert.Null(batch.FatalError);
        foreach (var (name, _, mention) in items)
        {
            if (mention is null)
            {
                Assert.True(results[name].Succeeded, results[name].Error?.Message);
            }
            else
            {
                Assert.Contains(mention, Assert.IsAssignableFrom<PhotaException>(results[name].Error).Message);
            }
        }

        Assert.Equal(before - 2 * 0.12m, fixture.Emulator.State.BalanceOf(key));
        Assert.Equal(2, t.OutputFiles().Length);
    }

    [Fact]
    public async Task A_wrong_key_stops_the_whole_batch_at_once_without_charges()
    {
        using var t = new TestClient(fixture.Emulator.BaseAddress, "phota-wrong-key-1111");
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 2 });
        for (var i = 0; i < 10; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"w{i}.png", seed: i)) }));
        }

        batch.Complete();
        var error = await Assert.ThrowsAsync<PhotaApiException>(async () =>
        {
            await foreach (var _ in batch.ReadAllAsync())
            {
            }
        });
        Assert.Equal(ErrorKind.InvalidApiKey, error.Kind);
        Assert.Same(error, batch.FatalError);
        Assert.DoesNotContain("phota-wrong-key-1111", error.ToString());
        Assert.True(t.Events.Count(e => e.Kind == Http.PhotaLogEventKind.HttpExchange) <= 2, "The batch should stop after the first refusals.");
    }

    private static Task<ImageInput> FromFile(TestClient t, string name, byte[] content)
        => Task.FromResult(ImageInput.FromFile(t.Dir.File(Path.Combine("in", name), content)));

    /// <summary>A file that starts and ends like a JPEG but is <paramref name="length"/> bytes long (sparse on disk).</summary>
    private static string SparseJpeg(TestClient t, string name, long length)
    {
        var path = t.Dir.File(Path.Combine("in", name), TestImages.JpegLike(256));
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
        stream.Position = length - 2;
        stream.Write([0xFF, 0xD9]);
        return path;
    }
}
