using System.Management.Automation;
using Phota.Errors;
using Phota.Models;
using Phota.PowerShell.Infrastructure;
using Phota.Profiles;

namespace Phota.PowerShell.Commands;

/// <summary>
/// New-PhotaProfile: trains one profile from public image URLs (every URL given or piped forms the one profile).
/// Paid: -WhatIf shows the price.
/// </summary>
[Cmdlet(VerbsCommon.New, "PhotaProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhotaProfile))]
public sealed class NewPhotaProfileCommand : PhotaCmdlet
{
    private readonly List<string> _urls = [];

    /// <summary>Public http(s) URLs of photos of the subject: 10 to 50 (Standard) or 5 to 10 (Fast).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url", "ImageUrls")]
    [ValidateNotNullOrEmpty]
    public string[] ImageUrl { get; set; } = [];

    /// <summary>A label to find the profile by later (1 to 128 characters; cannot be changed).</summary>
    [Parameter]
    public string? Tag { get; set; }

    /// <summary>Standard (Full Train, about 8 minutes) or Fast (Quick Train, about 3 minutes).</summary>
    [Parameter]
    [ValidateSet("Standard", "Fast")]
    public string TrainingTier { get; set; } = "Standard";

    /// <summary>Wait until training has finished and emit the ready profile.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord() => _urls.AddRange(ImageUrl);

    protected override void EndProcessing()
    {
        if (!Wait && CallTimeout is not null)
        {
            WriteWarning("-TimeoutSec has no effect without -Wait: the profile is returned as soon as training starts. Add -Wait, or pass the profile to Wait-PhotaProfile -TimeoutSec.");
        }
        var tier = Models.TrainingTier.Parse(TrainingTier);
        var request = new AddProfileRequest { ImageUrls = _urls, TrainingTier = tier, Tag = Tag };
        try
        {
            ProfileRequestValidator.Validate(request);
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, _urls.ToArray()));
        }
        if (!ShouldProcess(Tag is null ? $"{_urls.Count} image URLs" : $"profile '{Tag}'", WhatIfText.ProfileAction(_urls.Count, tier, Tag)))
        {
            return;
        }

        try
        {
            var profile = Await(async token =>
            {
                var added = await Client.AddProfileAsync(request, token).ConfigureAwait(false);
                PostVerbose($"Profile {added.ProfileId} is training ({tier} tier).");
                if (!Wait)
                {
                    try
                    {
                        return new PhotaProfile(await Client.GetProfileStatusAsync(added.ProfileId, token).ConfigureAwait(false), Tag);
                    }
                    catch (PhotaException)
                    {
                        return new PhotaProfile(added.ProfileId, ProfileStatus.Validating.Value, Tag);
                    }
                }
                await foreach (var result in Client.WaitForProfilesAsync([added.ProfileId], CallTimeout, p => PostProgress(ProfileProgress.Record(p, MyInvocation.MyCommand.Name)), token).ConfigureAwait(false))
                {
                    if (result.Error is not null)
                    {
                        throw result.Error;
                    }
                    return new PhotaProfile(result.Status!, Tag);
                }
                return new PhotaProfile(added.ProfileId, null, Tag);
            });
            WriteObject(profile);
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, Tag ?? (object)_urls.ToArray()));
        }
        finally
        {
            if (Wait)
            {
                WriteProgress(ProfileProgress.Completed(MyInvocation.MyCommand.Name));
            }
        }
    }
}
