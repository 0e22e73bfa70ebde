using Phota.Profiles;

namespace Phota.Tests;

public class ValidationTests
{
    private static readonly ImageInput Url = ImageInput.FromUrl("https://example.com/a.jpg");

    public static TheoryData<string, Func<StudioRequest>, bool> BadRequests => new()
    {
        { "num_output_images", () => new EnhanceRequest { Image = Url, NumOutputImages = 0 }, true },
        { "num_output_images", () => new EnhanceRequest { Image = Url, NumOutputImages = 5 }, true },
        { "quality", () => new EditRequest { Images = [Url], Prompt = "x", Quality = ImageQuality.High }, true },
        { "quality", () => new GenerateRequest { Prompt = "x", Quality = ImageQuality.Low, BaseModel = BaseModel.Flux2 }, true },
        { "resolution", () => new GenerateRequest { Prompt = "x", Resolution = Resolution.FourK, BaseModel = BaseModel.Flux2 }, true },
        { "resolution", () => new EditRequest { Images = [Url], Prompt = "x", Resolution = Resolution.FourK, BaseModel = BaseModel.QwenImage2 }, true },
        { "base_model", () => new GenerateRequest { Prompt = "x", BaseModel = BaseModel.FromWire("dall-e") }, true },
        { "images", () => new EditRequest { Images = Enumerable.Repeat(Url, 11).ToList(), Prompt = "x" }, true },
        { "images", () => new EditRequest { Images = [], Prompt = "x" }, true },
        { "profile_ids", () => new GenerateRequest { Prompt = "x", ProfileIds = ["abc"] }, true },
        { "images", () => new GenerateRequest { Prompt = "x", Images = [Url] }, true },
        { "callback_url", () => new EnhanceRequest { Image = Url, CallbackUrl = "http://example.com/hook" }, true },
        { "callback_url", () => new EnhanceRequest { Image = Url, CallbackUrl = "https://example.com/hook" }, false },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Studio_rules_are_checked_before_sending_naming_the_parameter(string parameter, Func<StudioRequest> build, bool asynchronous)
    {
        var error = Assert.Throws<PhotaInputException>(() => build().Validate(asynchronous));
        Assert.Equal(parameter, error.Input);
        Assert.StartsWith(parameter + ":", error.Message);
    }

    [Fact]
    public void Valid_requests_pass()
    {
        new GenerateRequest { Prompt = "x", Quality = ImageQuality.High, BaseModel = BaseModel.GptImage2, Resolution = Resolution.FourK }.Validate();
        new EditRequest { Images = Enumerable.Repeat(Url, 10).ToList(), Prompt = "x", NumOutputImages = 4 }.Validate(false);
        new EnhanceRequest { Image = Url, CallbackUrl = "https://example.com/hook" }.Validate(true);
        // The API's prompt defaults to an empty string for edit and generate.
        new EditRequest { Images = [Url] }.Validate();
        new GenerateRequest { Prompt = "" }.Validate();
    }

    [Theory]
    [InlineData("standard", 9, null, "image_urls")]
    [InlineData("standard", 51, null, "image_urls")]
    [InlineData("fast", 4, null, "image_urls")]
    [InlineData("fast", 11, null, "image_urls")]
    [InlineData("fast", 5, 129, "tag")]
    [InlineData("fast", 5, 0, "tag")]
    public void Profile_requests_are_checked_per_tier(string tier, int count, int? tagLength, string parameter)
    {
        var request = new AddProfileRequest
        {
            ImageUrls = Enumerable.Range(0, count).Select(i => $"https://example.com/{i}.jpg").ToList(),
            TrainingTier = TrainingTier.Parse(tier),
            Tag = tagLength is { } n ? new string('t', n) : null,
        };
        Assert.Equal(parameter, Assert.Throws<PhotaInputException>(() => ProfileRequestValidator.Validate(request)).Input);
    }

    [Fact]
    public void Tags_are_counted_in_characters_as_the_server_counts_them()
    {
        // 128 emoji are 256 UTF-16 units but 128 characters: accepted. 129 are refused, naming the character count.
        var urls = Enumerable.Range(0, 5).Select(i => $"https://example.com/{i}.jpg").ToList();
        var emoji = string.Concat(Enumerable.Repeat("\U0001F436", 128));
        ProfileRequestValidator.Validate(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast, Tag = emoji });
        var error = Assert.Throws<PhotaInputException>(() => ProfileRequestValidator.Validate(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast, Tag = emoji + "\U0001F436" }));
        Assert.Contains("129 characters", error.Message);
    }

    [Fact]
    public void Profile_requests_take_urls_only()
    {
        var request = new AddProfileRequest { ImageUrls = [.. Enumerable.Range(0, 4).Select(i => $"https://e.com/{i}.jpg"), "C:\\photo.jpg"], TrainingTier = TrainingTier.Fast };
        Assert.Contains("http(s)", Assert.Throws<PhotaInputException>(() => ProfileRequestValidator.Validate(request)).Message);
        ProfileRequestValidator.Validate(request with { ImageUrls = Enumerable.Range(0, 10).Select(i => $"https://e.com/{i}.jpg").ToList(), TrainingTier = TrainingTier.Standard, Tag = new string('t', 128) });
    }

    [Fact]
    public void Price_list_follows_the_release_notes()
    {
        Assert.Equal(0.36m, PriceList.Estimate(new EnhanceRequest { Image = Url, NumOutputImages = 3 }));
        Assert.Equal(0.30m, PriceList.Estimate(new RemixRequest { InputImage = Url, ReferenceImage = Url, NumOutputImages = 2, ProfileIds = ["p"] }));
        Assert.Null(PriceList.Estimate(new GenerateRequest { Prompt = "x" }));
        Assert.Equal(2.90m, PriceList.ProfileTraining(TrainingTier.Standard));
        Assert.Equal(1.49m, PriceList.ProfileTraining(TrainingTier.Fast));
    }

    [Fact]
    public void Sessions_resolve_explicit_then_default_then_environment_and_hide_the_key()
    {
        var env = new Dictionary<string, string?> { ["PHOTA_API_KEY"] = "env-key-123", ["PHOTA_BASE_URL"] = "http://127.0.0.1:5080" };
        var explicitSession = new PhotaSession("explicit-key-123");
        var defaultSession = new PhotaSession("default-key-123");
        Assert.Same(explicitSession, PhotaSession.Resolve(explicitSession, defaultSession, n => env.GetValueOrDefault(n)));
        Assert.Equal(SessionSource.Default, PhotaSession.Resolve(null, defaultSession, n => env.GetValueOrDefault(n)).Source);
        var fromEnv = PhotaSession.Resolve(null, null, n => env.GetValueOrDefault(n));
        Assert.Equal(SessionSource.Environment, fromEnv.Source);
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), fromEnv.BaseUri);
        Assert.DoesNotContain("env-key-123", fromEnv.ToString());
        Assert.Equal(PhotaSession.DefaultBaseUri, new PhotaSession("k").BaseUri);

        var missing = Assert.Throws<PhotaException>(() => PhotaSession.Resolve(null, null, _ => null));
        Assert.Equal(ErrorKind.MissingApiKey, missing.Kind);
        Assert.Contains("PHOTA_API_KEY", missing.Message);
    }

    [Theory]
    [InlineData("http://api.photalabs.com", false)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("https://api.photalabs.com", true)]
    [InlineData("ftp://api.photalabs.com", false)]
    [InlineData("https://user:pw@api.photalabs.com", false)]
    public void Plain_http_is_refused_except_for_loopback(string url, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal(url.TrimEnd('/') + "/", new PhotaSession("k", new Uri(url)).BaseUri.ToString());
        }
        else
        {
            Assert.Throws<PhotaInputException>(() => new PhotaSession("k", new Uri(url)));
        }
    }

    [Fact]
    public void A_secure_string_key_works()
    {
        using var secure = new System.Security.SecureString();
        foreach (var c in "secure-key") secure.AppendChar(c);
        var session = new PhotaSession(secure);
        Assert.Equal("secure-key", session.ApiKey);
        Assert.Equal("a *** b", session.Redact("a secure-key b"));
    }
}
