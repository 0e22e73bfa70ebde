using System.Text;
using Phota.Models;
using Phota.Webhooks;

namespace Phota.PowerShell.Tests;

/// <summary>The parameters, pipeline bindings, values and outputs each cmdlet promises, checked on the imported module.</summary>
[Collection(PhotaModuleCollection.Name)]
public sealed class CmdletSurfaceTests
{
    private static readonly string[] ImageCmdlets = ["Invoke-PhotaEdit", "Invoke-PhotaEnhance", "Invoke-PhotaRemix"];
    private static readonly string[] StudioCmdlets = [.. ImageCmdlets, "Invoke-PhotaGenerate"];

    private readonly PhotaModule _module;

    public CmdletSurfaceTests(PhotaModule module) => _module = module;

    public static TheoryData<string> ImageCmdletNames() => new(ImageCmdlets);

    public static TheoryData<string> StudioCmdletNames() => new(StudioCmdlets);

    [Theory]
    [MemberData(nameof(ImageCmdletNames))]
    public void Image_cmdlets_take_Image_by_value_and_LiteralPath_by_property_name(string name)
    {
        var cmdlet = _module.Cmdlet(name);
        Assert.Equal("Image", cmdlet.DefaultParameterSetName);

        var image = cmdlet.Parameter("Image");
        var imageEntry = Assert.Single(image.Sets);
        Assert.Equal("Image", imageEntry.SetName);
        Assert.True(imageEntry.ValueFromPipeline);
        Assert.True(imageEntry.ValueFromPipelineByPropertyName);
        Assert.Equal(0, imageEntry.Position);
        Assert.Equal("System.String[]", image.TypeName);
        Assert.Contains("Path", image.Aliases);

        var literal = cmdlet.Parameter("LiteralPath");
        var literalEntry = Assert.Single(literal.Sets);
        Assert.Equal("LiteralPath", literalEntry.SetName);
        Assert.False(literalEntry.ValueFromPipeline);
        Assert.True(literalEntry.ValueFromPipelineByPropertyName);
        Assert.Equal(["PSPath", "FullName", "LP"], literal.Aliases);
    }

    [Fact]
    public void Generate_takes_prompts_from_the_pipeline_at_position_0()
    {
        var prompt = Assert.Single(_module.Cmdlet("Invoke-PhotaGenerate").Parameter("Prompt").Sets);
        Assert.True(prompt.ValueFromPipeline);
        Assert.True(prompt.Mandatory);
        Assert.Equal(0, prompt.Position);
        Assert.Throws<Xunit.Sdk.XunitException>(() => _module.Cmdlet("Invoke-PhotaGenerate").Parameter("ProfileId"));
    }

    [Fact]
    public void Edit_takes_an_optional_prompt_and_remix_requires_a_reference_image()
    {
        // The API's prompt defaults to "" for edit.
        Assert.All(_module.Cmdlet("Invoke-PhotaEdit").Parameter("Prompt").Sets, s => Assert.False(s.Mandatory));
        Assert.All(_module.Cmdlet("Invoke-PhotaRemix").Parameter("ReferenceImage").Sets, s => Assert.True(s.Mandatory));
        Assert.All(_module.Cmdlet("Invoke-PhotaEnhance").Parameter("Prompt").Sets, s => Assert.False(s.Mandatory));
    }

    [Theory]
    [MemberData(nameof(StudioCmdletNames))]
    public void Studio_cmdlets_share_the_output_and_concurrency_parameters(string name)
    {
        var cmdlet = _module.Cmdlet(name);
        foreach (var parameter in new[] { "Count", "Format", "CallbackUrl", "OutputDirectory", "Force", "ThrottleLimit", "NoWait", "Synchronous", "TimeoutSec", "Session", "SkipExisting" })
        {
            cmdlet.Parameter(parameter);
        }
        // A delay-bind script block gives each piped item its own idempotency key, which needs pipeline binding by name.
        Assert.All(cmdlet.Parameter("ClientRequestId").Sets, s => Assert.True(s.ValueFromPipelineByPropertyName));
        Assert.Equal("System.Int32", cmdlet.Parameter("Count").TypeName);
        Assert.Equal("System.Management.Automation.SwitchParameter", cmdlet.Parameter("NoWait").TypeName);
        Assert.Equal(["Phota.PowerShell.PhotaImage", "Phota.PowerShell.PhotaJob", "Phota.PowerShell.PhotaImageUrl"], cmdlet.OutputTypes);
        cmdlet.Parameter("NoDownload");
        Assert.True(cmdlet.SupportsShouldProcess);
    }

    [Fact]
    public void Enumerated_values_are_exactly_the_librarys_known_values()
    {
        static string[] Values<T>(IEnumerable<T> known) => known.Select(k => k!.ToString()!).ToArray();
        void Check(string cmdlet, string parameter, string[] known)
            => Assert.Equal(known.Order(StringComparer.OrdinalIgnoreCase), _module.Cmdlet(cmdlet).Parameter(parameter).ValidateSetValues.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        foreach (var cmdlet in new[] { "Invoke-PhotaEdit", "Invoke-PhotaGenerate" })
        {
            Check(cmdlet, "AspectRatio", Values(AspectRatio.Known));
            Check(cmdlet, "Resolution", Values(Resolution.Known));
            Check(cmdlet, "BaseModel", Values(BaseModel.Known));
            Check(cmdlet, "Quality", Values(ImageQuality.Known));
        }
        foreach (var cmdlet in StudioCmdlets)
        {
            Check(cmdlet, "Format", Values(OutputFormat.Known));
        }
        Check("New-PhotaProfile", "TrainingTier", Values(TrainingTier.Known));
    }

    [Fact]
    public void Every_profile_id_parameter_completes_ids_and_accepts_profile_objects()
    {
        var withProfileId = _module.Cmdlets.Where(c => c.Parameters.Any(p => p.Name == "ProfileId")).Select(c => c.Name).ToList();
        Assert.Equal(["Get-PhotaProfile", "Invoke-PhotaEdit", "Invoke-PhotaEnhance", "Invoke-PhotaRemix", "Remove-PhotaProfile", "Save-PhotaProfilePicture", "Wait-PhotaProfile"], withProfileId);
        Assert.All(withProfileId, name =>
        {
            var parameter = _module.Cmdlet(name).Parameter("ProfileId");
            Assert.True(parameter.HasArgumentCompleter, $"{name} -ProfileId has no completer.");
            Assert.Equal("System.String[]", parameter.TypeName);
        });
        // Where profiles are the subject, they come from the pipeline by value and by property name.
        foreach (var name in new[] { "Get-PhotaProfile", "Wait-PhotaProfile", "Remove-PhotaProfile", "Save-PhotaProfilePicture" })
        {
            Assert.All(_module.Cmdlet(name).Parameter("ProfileId").Sets, s => Assert.True(s.ValueFromPipeline && s.ValueFromPipelineByPropertyName, name));
        }
    }

    [Fact]
    public void Profile_cmdlets_have_the_planned_shape()
    {
        var newProfile = _module.Cmdlet("New-PhotaProfile");
        var url = Assert.Single(newProfile.Parameter("ImageUrl").Sets);
        Assert.True(url.ValueFromPipeline && url.Mandatory);
        Assert.Equal("System.String[]", newProfile.Parameter("ImageUrl").TypeName);
        newProfile.Parameter("Tag");
        newProfile.Parameter("Wait");
        Assert.Equal(["Phota.PowerShell.PhotaProfile"], newProfile.OutputTypes);

        var get = _module.Cmdlet("Get-PhotaProfile");
        Assert.Equal("List", get.DefaultParameterSetName);
        Assert.Equal(0, Assert.Single(get.Parameter("ProfileId").Sets).Position);
        Assert.Equal("List", Assert.Single(get.Parameter("Tag").Sets).SetName);

        _module.Cmdlet("Wait-PhotaProfile").Parameter("TimeoutSec");
        _module.Cmdlet("Remove-PhotaProfile").Parameter("PassThru");
        Assert.False(_module.Cmdlet("Get-PhotaProfile").SupportsShouldProcess);
        Assert.Equal(["System.IO.FileInfo"], _module.Cmdlet("Save-PhotaProfilePicture").OutputTypes);
    }

    [Fact]
    public void Job_cmdlets_take_job_objects_by_value_and_ids_by_value_or_property_name()
    {
        foreach (var name in new[] { "Wait-PhotaJob", "Receive-PhotaJob" })
        {
            var cmdlet = _module.Cmdlet(name);
            Assert.Equal("Job", cmdlet.DefaultParameterSetName);
            var job = Assert.Single(cmdlet.Parameter("Job").Sets);
            Assert.True(job.ValueFromPipeline);
            Assert.Equal("Phota.PowerShell.PhotaJob[]", cmdlet.Parameter("Job").TypeName);
            var id = Assert.Single(cmdlet.Parameter("JobId").Sets);
            Assert.True(id.ValueFromPipeline && id.ValueFromPipelineByPropertyName);
            Assert.Equal(0, id.Position);
        }
        var get = _module.Cmdlet("Get-PhotaJob");
        Assert.Equal("Journal", get.DefaultParameterSetName);
        Assert.True(Assert.Single(get.Parameter("JobId").Sets).ValueFromPipelineByPropertyName);
        Assert.Equal("Journal", Assert.Single(get.Parameter("All").Sets).SetName);
        Assert.Equal(["Phota.PowerShell.PhotaImage", "Phota.PowerShell.PhotaImageUrl"], _module.Cmdlet("Receive-PhotaJob").OutputTypes);
        _module.Cmdlet("Receive-PhotaJob").Parameter("NoDownload");
        // Tab completion of -JobId offers the journal's job ids.
        foreach (var name in new[] { "Get-PhotaJob", "Wait-PhotaJob", "Receive-PhotaJob" })
        {
            Assert.True(_module.Cmdlet(name).Parameter("JobId").HasArgumentCompleter, $"{name} -JobId has no completer.");
        }
        _module.Cmdlet("Receive-PhotaJob").Parameter("Wait");
        _module.Cmdlet("Receive-PhotaJob").Parameter("OutputDirectory");
        _module.Cmdlet("Wait-PhotaJob").Parameter("TimeoutSec");
        // Many jobs go through the library's batch, bounded like the studio cmdlets.
        foreach (var name in new[] { "Get-PhotaJob", "Wait-PhotaJob", "Receive-PhotaJob" })
        {
            Assert.Equal("System.Int32", _module.Cmdlet(name).Parameter("ThrottleLimit").TypeName);
        }
    }

    [Fact]
    public void The_journal_compaction_cmdlet_asks_before_removing_and_returns_what_it_removed()
    {
        var optimize = _module.Cmdlet("Optimize-PhotaJobJournal");
        Assert.True(optimize.SupportsShouldProcess);
        Assert.Equal(["Phota.Jobs.JournalCompaction"], optimize.OutputTypes);
        Assert.Equal(0, Assert.Single(optimize.Parameter("Path").Sets).Position);
    }

    [Fact]
    public void Session_cmdlets_take_keys_as_SecureString_and_connect_from_a_session_object()
    {
        foreach (var name in new[] { "New-PhotaSession", "Connect-Phota" })
        {
            var cmdlet = _module.Cmdlet(name);
            Assert.Equal("System.Security.SecureString", cmdlet.Parameter("ApiKey").TypeName);
            Assert.Equal("System.Uri", cmdlet.Parameter("BaseUri").TypeName);
            Assert.Equal("System.Uri", cmdlet.Parameter("Proxy").TypeName);
            Assert.Equal("System.Management.Automation.PSCredential", cmdlet.Parameter("ProxyCredential").TypeName);
            cmdlet.Parameter("TimeoutSec");
            Assert.Equal(["Phota.Sessions.PhotaSession"], cmdlet.OutputTypes);
        }
        var connect = _module.Cmdlet("Connect-Phota");
        var session = Assert.Single(connect.Parameter("Session").Sets);
        Assert.Equal("Session", session.SetName);
        Assert.True(session.Mandatory && session.ValueFromPipeline);
        connect.Parameter("SkipCheck");
        connect.Parameter("PassThru");
    }

    [Fact]
    public void Webhook_cmdlets_return_the_secret_and_a_verdict()
    {
        Assert.Equal(["System.Security.SecureString", "System.String"], _module.Cmdlet("Get-PhotaWebhookSecret").OutputTypes);
        _module.Cmdlet("Get-PhotaWebhookSecret").Parameter("AsPlainText");
        var test = _module.Cmdlet("Test-PhotaWebhookSignature");
        Assert.Equal(["System.Boolean"], test.OutputTypes);
        Assert.All(test.Parameter("Body").Sets, s => Assert.True(s.Mandatory));
        Assert.All(test.Parameter("Signature").Sets, s => Assert.True(s.Mandatory));
        Assert.Equal("System.Security.SecureString", test.Parameter("Secret").TypeName);
    }

    [Fact]
    public void Only_paid_destructive_or_file_writing_cmdlets_ask_for_confirmation()
    {
        string[] paid = ["Invoke-PhotaEdit", "Invoke-PhotaEnhance", "Invoke-PhotaGenerate", "Invoke-PhotaRemix", "New-PhotaProfile"];
        string[] expected = [.. paid, "Optimize-PhotaJobJournal", "Receive-PhotaJob", "Remove-PhotaProfile", "Save-PhotaProfilePicture"];
        Assert.Equal(expected.Order().ToArray(), _module.Cmdlets.Where(c => c.SupportsShouldProcess).Select(c => c.Name).Order().ToArray());
        Assert.All(paid, n => Assert.Equal("Medium", _module.Cmdlet(n).ConfirmImpact));
        _module.Cmdlet("Remove-PhotaProfile").Parameter("Force");
    }

    [Fact]
    public void A_value_outside_the_known_list_is_refused_when_binding()
    {
        var (_, errors) = _module.Try("Invoke-PhotaGenerate -Prompt 'a cat' -AspectRatio '5:4:3' -WhatIf");
        var error = Assert.Single(errors);
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("AspectRatio", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_piped_callback_binds_by_property_name_and_a_plain_secret_is_converted()
    {
        const string body = "{\"job_id\":\"job_1\",\"status\":\"COMPLETED\"}";
        string signature = WebhookSignature.Compute(Encoding.UTF8.GetBytes(body), "whsec_test");
        string Check(string sentBody) => $"[pscustomobject]@{{ Body = '{sentBody}'; 'X-Phota-Signature' = 'sha256={signature}' }} | Test-PhotaWebhookSignature -Secret 'whsec_test'";

        Assert.Equal([true], _module.Run(Check(body)).Select(o => (bool)o.BaseObject));
        Assert.Equal([false], _module.Run(Check(body.Replace("job_1", "job_2", StringComparison.Ordinal))).Select(o => (bool)o.BaseObject));
    }
}
