using Phota.Images;
using Phota.Models;
using Phota.PowerShell.Infrastructure;
using Phota.Studio;

namespace Phota.PowerShell.Tests;

public sealed class ProfileIdTextTests
{
    [Theory]
    [InlineData("prof_123", "prof_123")]
    [InlineData("[[prof_123]]", "prof_123")]
    [InlineData("  [[ prof_123 ]] ", "prof_123")]
    [InlineData("[prof_123]", "[prof_123]")]
    [InlineData("[[]]", "")]
    public void Normalize_accepts_the_prompt_reference_form(string given, string expected)
        => Assert.Equal(expected, ProfileIdText.Normalize(given));
}

public sealed class WhatIfTextTests
{
    // The smallest valid PNG signature and header chunk start, enough for the library to recognise the format.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    [Fact]
    public void Enhance_shows_the_published_price_per_output_image()
    {
        var request = new EnhanceRequest { Image = ImageInput.FromBytes(Png, "beach"), NumOutputImages = 3 };
        var action = WhatIfText.Action(request, synchronous: false);
        Assert.Contains("enhance", action);
        Assert.Contains("3 output images", action);
        Assert.Contains("US$0.36", action);
        Assert.Contains("async job", action);
    }

    [Fact]
    public void Identity_pricing_applies_with_profiles()
    {
        var request = new RemixRequest { InputImage = ImageInput.FromBytes(Png), ReferenceImage = ImageInput.FromBytes(Png), ProfileIds = ["p1"] };
        Assert.Contains("US$0.15", WhatIfText.Action(request, synchronous: true));
        Assert.Contains("synchronous", WhatIfText.Action(request, synchronous: true));
        Assert.StartsWith("2 images: ", WhatIfText.Target(request));
    }

    [Fact]
    public void Generate_without_a_published_price_says_so_and_targets_the_prompt()
    {
        var request = new GenerateRequest { Prompt = "A headshot of [[p1]] " + new string('x', 200), OutputFormat = OutputFormat.Png };
        Assert.Contains("price not published in the API documents; it depends on base model nb2 (the default), resolution 1K (the default), 1 output image", WhatIfText.Action(request, synchronous: false));
        Assert.DoesNotContain("US$", WhatIfText.Action(request, synchronous: false));
        var chosen = new EditRequest { Images = [Phota.Images.ImageInput.Parse("https://example.com/a.jpg")], BaseModel = BaseModel.GptImage2, Resolution = Resolution.FourK, Quality = ImageQuality.High, NumOutputImages = 3 };
        Assert.Contains("it depends on base model gpt-image-2, resolution 4K, quality high, 3 output images", WhatIfText.Action(chosen, synchronous: false));
        var target = WhatIfText.Target(request);
        Assert.StartsWith("'A headshot of [[p1]]", target);
        Assert.True(target.Length <= 82, "Long prompts are shortened.");
        Assert.EndsWith("...'", target);
    }

    [Fact]
    public void Profile_training_shows_the_tier_price()
    {
        Assert.Contains("US$1.49", WhatIfText.ProfileAction(5, TrainingTier.Fast, "alice"));
        Assert.Contains("US$2.90", WhatIfText.ProfileAction(20, TrainingTier.Standard, null));
        Assert.Contains("tag 'alice'", WhatIfText.ProfileAction(5, TrainingTier.Fast, "alice"));
    }
}

public sealed class ErrorTextTests
{
    [Fact]
    public void Advice_comes_from_the_module_and_names_the_cmdlet_that_helps()
    {
        var error = new Phota.Errors.PhotaApiException(Phota.Errors.ErrorKind.ProfileNotFound,
            "The profile does not exist. (HTTP 404 PROFILE_NOT_FOUND, request id req_1).",
            System.Net.HttpStatusCode.NotFound, "PROFILE_NOT_FOUND", null, "req_1");
        Assert.Contains("Get-PhotaProfile", ErrorText.RecommendedAction(error));
        Assert.DoesNotContain("Get-PhotaProfile", ErrorText.Describe(error));
    }

    [Fact]
    public void A_job_error_is_advised_by_its_cause()
    {
        static string? AdviceFor(Phota.Errors.ErrorCause cause, string? jobId) => ErrorText.RecommendedAction(
            new Phota.Errors.PhotaApiException(Phota.Errors.ErrorKind.NotFound, "Job job_1 was not found.",
                System.Net.HttpStatusCode.NotFound, "NOT_FOUND", null, "req_1") { JobId = jobId, Cause = cause });

        Assert.Contains("Phota support", AdviceFor(Phota.Errors.ErrorCause.JobLost, "job_1"));
        Assert.Contains("Connect-Phota -ApiKey", AdviceFor(Phota.Errors.ErrorCause.SubmittedWithOtherKey, "job_1"));
        Assert.Contains("Get-PhotaJob", AdviceFor(Phota.Errors.ErrorCause.None, "job_1"));
        Assert.Null(AdviceFor(Phota.Errors.ErrorCause.None, null));
    }

    [Fact]
    public void An_existing_output_file_is_advised_to_use_Force_and_a_disk_failure_is_not()
    {
        Assert.Contains("-Force", ErrorText.RecommendedAction(new Phota.Errors.PhotaException(Phota.Errors.ErrorKind.OutputFailed, "a.jpg already exists.") { Cause = Phota.Errors.ErrorCause.OutputExists }));
        Assert.Null(ErrorText.RecommendedAction(new Phota.Errors.PhotaException(Phota.Errors.ErrorKind.OutputFailed, "Cannot write a.jpg: disk full.")));
    }

    [Fact]
    public void A_job_that_is_not_finished_is_advised_to_wait()
    {
        var error = new Phota.Errors.PhotaException(Phota.Errors.ErrorKind.JobNotFinished, "Job job_1 is still running.");
        Assert.Equal("Add -Wait, or run Wait-PhotaJob first.", ErrorText.RecommendedAction(error));
        Assert.Equal("Job job_1 is still running.", ErrorText.Describe(error));
    }

    [Fact]
    public void The_request_id_is_added_once()
    {
        var error = new Phota.Errors.PhotaApiException(Phota.Errors.ErrorKind.ServerError, "The Phota API failed.",
            System.Net.HttpStatusCode.InternalServerError, null, null, "req_9");
        Assert.Equal(1, CountOf(ErrorText.Describe(error), "req_9"));
        Assert.Equal(1, CountOf(ErrorText.Describe(new Phota.Errors.PhotaApiException(Phota.Errors.ErrorKind.ServerError, "Failed (request id req_9).",
            System.Net.HttpStatusCode.InternalServerError, null, null, "req_9")), "req_9"));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(part, at, StringComparison.Ordinal)) >= 0)
        {
            count++;
            at += part.Length;
        }
        return count;
    }
}
