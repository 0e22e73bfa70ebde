using System.Text;

namespace Phota.Emulator.Tests;

/// <summary>422 in FastAPI's shape for schema violations, and the documented 400s. Nothing is ever charged.</summary>
public sealed class ValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string Png = Api.PngBase64();

    public static TheoryData<string, string, string, object[]> SchemaViolations => new()
    {
        { "edit", """{"images":["IMG"],"num_output_images":0}""", "greater_than_equal", ["body", "num_output_images"] },
        { "edit", """{"images":["IMG"],"num_output_images":5}""", "less_than_equal", ["body", "num_output_images"] },
        { "edit", """{"images":["IMG"],"num_output_images":2.5}""", "int_from_float", ["body", "num_output_images"] },
        { "edit", """{"images":["IMG"],"num_output_images":"two"}""", "int_parsing", ["body", "num_output_images"] },
        { "edit", """{"images":["IMG"],"aspect_ratio":"2:1"}""", "literal_error", ["body", "aspect_ratio"] },
        { "edit", """{"images":["IMG"],"resolution":"8K"}""", "literal_error", ["body", "resolution"] },
        { "edit", """{"images":["IMG"],"base_model":"sdxl"}""", "enum", ["body", "base_model"] },
        { "generate", """{"prompt":"x","base_model":"nb3"}""", "enum", ["body", "base_model"] },
        { "generate", """{"prompt":"x","response_mode":"files"}""", "literal_error", ["body", "response_mode"] },
        { "generate", """{"prompt":"x","output_format":"gif"}""", "literal_error", ["body", "output_format"] },
        { "generate", """{"prompt":"x","quality":"ultra","base_model":"gpt-image-2"}""", "literal_error", ["body", "quality"] },
        { "generate", """{"prompt":5}""", "string_type", ["body", "prompt"] },
        { "generate", """{"prompt":"x","async":"maybe"}""", "bool_parsing", ["body", "async"] },
        { "generate", """{"prompt":"x","callback_url":7}""", "string_type", ["body", "callback_url"] },
        { "edit", """{"images":"IMG"}""", "list_type", ["body", "images"] },
        { "edit", """{"images":["IMG",1]}""", "string_type", ["body", "images", 1] },
        { "edit", """{"images":["IMG","IMG","IMG","IMG","IMG","IMG","IMG","IMG","IMG","IMG","IMG"]}""", "too_long", ["body", "images"] },
        { "enhance", """{"num_output_images":1}""", "missing", ["body", "image"] },
        { "enhance", """{"image":null}""", "string_type", ["body", "image"] },
        { "remix", """{"input_image":"IMG"}""", "missing", ["body", "reference_image"] },
        { "remix", """{"input_image":"IMG","reference_image":"IMG","profile_ids":"p"}""", "list_type", ["body", "profile_ids"] },
    };

    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public async Task Schema_violations_are_422_with_loc_and_type(string operation, string body, string type, object[] loc)
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync($"/v1/phota/{operation}", body.Replace("IMG", Png, StringComparison.Ordinal));
        await response.Assert422Async(type, loc);
        Assert.Empty(fixture.State.ChargesOf(fixture.ApiKey));
    }

    [Fact]
    public async Task All_violations_are_reported_together()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync("/v1/phota/generate", """{"num_output_images":9,"resolution":"3K","output_format":"bmp"}""");
        var body = await response.Assert422Async("less_than_equal", "body", "num_output_images");
        Assert.Equal(3, body["detail"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("", "missing")]
    [InlineData("{not json", "json_invalid")]
    [InlineData("[1,2]", "model_attributes_type")]
    [InlineData("\"text\"", "model_attributes_type")]
    public async Task A_body_that_is_not_a_json_object_is_422(string body, string type)
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync("/v1/phota/edit", body);
        var json = await response.AssertErrorAsync(HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(json["detail"]!.AsArray())!;
        Assert.Equal(type, (string?)error["type"]);
        Assert.Equal("body", (string?)error["loc"]![0]);
    }

    [Fact]
    public async Task Lax_values_are_accepted_like_pydantic()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync("/v1/phota/generate",
            """{"prompt":"x","num_output_images":"2","async":false,"quality":null,"callback_url":null,"output_format":"png","unknown_field":1}""");
        var body = await response.OkJsonAsync();
        Assert.Equal(2, body["images"]!.AsArray().Count);
    }

    public static TheoryData<string, string, string> AddProfileViolations => new()
    {
        { """{"image_urls":["u","u","u","u"]}""", "too_short", "image_urls" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 51)) + "]}", "too_long", "image_urls" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 6)) + "]}", "value_error", "image_urls" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 11)) + "],\"training_tier\":\"fast\"}", "value_error", "image_urls" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 5)) + "],\"training_tier\":\"slow\"}", "enum", "training_tier" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 5)) + "],\"training_tier\":\"fast\",\"tag\":\"\"}", "string_too_short", "tag" },
        { "{\"image_urls\":[" + string.Join(",", Enumerable.Repeat("\"u\"", 5)) + "],\"training_tier\":\"fast\",\"tag\":\"" + new string('t', 129) + "\"}", "string_too_long", "tag" },
        { """{"training_tier":"fast"}""", "missing", "image_urls" },
    };

    [Theory]
    [MemberData(nameof(AddProfileViolations))]
    public async Task Add_profile_schema_and_tier_counts_are_422(string body, string type, string field)
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync("/v1/phota/profiles/add", body);
        await response.Assert422Async(type, "body", field);
        Assert.Empty(fixture.State.ProfilesOf(fixture.ApiKey));
    }

    [Fact]
    public async Task Empty_tag_filter_is_422_on_the_query()
    {
        using var client = Api.Client(fixture);
        using var response = await client.GetAsync("/v1/phota/profiles/ids?tag=");
        await response.Assert422Async("string_too_short", "query", "tag");
    }

    public static TheoryData<string, string, string, string> Documented400s => new()
    {
        { "generate", """{"prompt":"an NSFW scene"}""", "CONTENT_MODERATION", "content safety" },
        { "edit", """{"prompt":"add gore","images":["IMG"]}""", "CONTENT_MODERATION", "content safety" },
        { "generate", """{"prompt":"x","quality":"high"}""", "INVALID_REQUEST", "quality" },
        { "generate", """{"prompt":"x","quality":"auto","base_model":"flux-2"}""", "INVALID_REQUEST", "quality" },
        { "generate", """{"prompt":"x","resolution":"4K","base_model":"flux-2"}""", "INVALID_REQUEST", "4K" },
        { "edit", """{"images":["IMG"],"resolution":"4K","base_model":"qwen-image-2"}""", "INVALID_REQUEST", "4K" },
        { "generate", """{"prompt":"x","async":true}""", "INVALID_REQUEST", "response_mode" },
        { "generate", """{"prompt":"x","async":true,"response_mode":"bytes"}""", "INVALID_REQUEST", "response_mode" },
        { "generate", """{"prompt":"x","callback_url":"https://127.0.0.1:9/cb"}""", "INVALID_REQUEST", "async" },
        { "generate", """{"prompt":"x","async":true,"response_mode":"urls","callback_url":"http://127.0.0.1:9/cb"}""", "INVALID_REQUEST", "https" },
        { "generate", """{"prompt":"x","async":true,"response_mode":"urls","callback_url":"not a url"}""", "INVALID_REQUEST", "https" },
        { "generate", """{"prompt":"x","async":true,"response_mode":"urls","callback_url":"https://hooks.example.com/cb"}""", "INVALID_REQUEST", "loopback" },
        { "generate", """{"prompt":"x","images":["IMG"]}""", "INVALID_REQUEST", "images" },
        { "generate", """{"prompt":"x","profile_ids":[]}""", "INVALID_REQUEST", "profile_ids" },
        { "edit", """{"prompt":"x"}""", "INVALID_REQUEST", "image" },
        { "edit", """{"prompt":"x","images":[]}""", "INVALID_REQUEST", "image" },
        { "edit", """{"images":["IMG","aGVsbG8gd29ybGQ="]}""", "INVALID_REQUEST", "images[1] is not a JPEG, PNG, WebP or HEIC image" },
        { "edit", """{"images":["%%% not base64 %%%"]}""", "INVALID_REQUEST", "images[0] is neither" },
        { "edit", """{"images":["ftp://127.0.0.1/a.png"]}""", "INVALID_REQUEST", "images[0]" },
        { "enhance", """{"image":"https://photos.example.com/a.jpg"}""", "INVALID_REQUEST", "--allow-remote-fetch" },
        { "remix", """{"input_image":"IMG","reference_image":"iVBORw0KGgoAAAA="}""", "INVALID_REQUEST", "reference_image could not be decoded" },
    };

    [Theory]
    [MemberData(nameof(Documented400s))]
    public async Task Documented_400s_name_the_problem(string operation, string body, string code, string detailPart)
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync($"/v1/phota/{operation}", body.Replace("IMG", Png, StringComparison.Ordinal));
        var json = await response.AssertErrorAsync(HttpStatusCode.BadRequest, code);
        Assert.Contains(detailPart, (string)json["detail"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(fixture.State.ChargesOf(fixture.ApiKey));
    }

    [Fact]
    public async Task Quality_and_4K_are_accepted_where_supported()
    {
        using var client = Api.Client(fixture);
        using var quality = await client.PostRawAsync("/v1/phota/generate", """{"prompt":"x","quality":"low","base_model":"gpt-image-2","output_format":"jpg"}""");
        await quality.OkJsonAsync();
        using var urls4K = await client.PostRawAsync("/v1/phota/generate", """{"prompt":"x","resolution":"4K","base_model":"reve","response_mode":"urls","output_format":"jpg"}""");
        await urls4K.OkJsonAsync();
    }

    [Fact]
    public async Task URL_inputs_are_fetched_from_loopback_and_must_exist()
    {
        await using var files = await LoopbackFileServer.StartAsync();
        var good = files.Add("good.webp", TestImages.WebP(640, 480));
        using var client = Api.Client(fixture);

        using var ok = await client.PostJsonAsync("/v1/phota/enhance", new JsonObject { ["image"] = good, ["output_format"] = "jpg", ["response_mode"] = "urls" });
        await ok.OkJsonAsync();
        Assert.Equal(1, files.RequestCount);

        using var missing = await client.PostJsonAsync("/v1/phota/enhance", new JsonObject { ["image"] = new Uri(files.BaseAddress, "missing.png").ToString() });
        var body = await missing.AssertErrorAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Contains("HTTP 404", (string)body["detail"]!);
    }

    [Fact]
    public async Task Data_uri_prefix_is_tolerated()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostJsonAsync("/v1/phota/enhance",
            new JsonObject { ["image"] = "data:image/png;base64," + Png, ["output_format"] = "png", ["response_mode"] = "urls" });
        await response.OkJsonAsync();
    }

    [Fact]
    public async Task Oversized_bodies_are_400_whether_or_not_the_length_is_declared()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.MaxBodyBytes = 256 * 1024);
        using var client = Api.Client(emulator);
        var big = "{\"image\":\"" + new string('A', 400 * 1024) + "\"}";

        using var declared = await client.PostRawAsync("/v1/phota/enhance", big);
        var body = await declared.AssertErrorAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Contains("limit", (string)body["detail"]!);

        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        streamed.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/phota/enhance") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(request);
        await chunked.AssertErrorAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");

        using var profile = await client.PostRawAsync("/v1/phota/profiles/add", big);
        await profile.Assert422Async("value_error", "body");
        Assert.Empty(emulator.State.ChargesOf(emulator.ApiKeys[0]));
    }

    [Fact]
    public async Task Custom_blocked_terms_replace_the_defaults()
    {
        await using var emulator = await RunningEmulator.StartAsync(EmulatorFixture.FastOptions(o =>
        {
            o.BlockedTerms.Clear();
            o.BlockedTerms.Add("forbidden fruit");
        }));
        using var client = Api.Client(emulator);
        await (await client.PostRawAsync("/v1/phota/generate", """{"prompt":"A FORBIDDEN FRUIT bowl","output_format":"png"}"""))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "CONTENT_MODERATION");
        await (await client.PostRawAsync("/v1/phota/generate", """{"prompt":"nsfw is allowed now","output_format":"png"}""")).OkJsonAsync();
    }
}
