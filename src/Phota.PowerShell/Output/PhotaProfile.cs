using Phota.Models;

namespace Phota.PowerShell;

/// <summary>
/// A trained (or training) profile. Its string form is <c>[[profile_id]]</c>, so
/// <c>"A headshot of $alice"</c> references the profile in a prompt.
/// </summary>
public sealed class PhotaProfile
{
    public PhotaProfile(string profileId, string? status, string? tag = null, string? message = null)
    {
        ProfileId = profileId;
        Status = status ?? string.Empty;
        Tag = tag;
        Message = string.IsNullOrEmpty(message) ? null : message;
    }

    internal PhotaProfile(ProfileInfo info) : this(info.ProfileId, info.Status.Value, info.Tag)
    {
    }

    internal PhotaProfile(ProfileStatusResponse status, string? tag = null) : this(status.ProfileId, status.Status.Value, tag, status.Message)
    {
    }

    public string ProfileId { get; }

    /// <summary>VALIDATING, QUEUING, IN_PROGRESS, READY, ERROR or INACTIVE (or DELETED after Remove-PhotaProfile).</summary>
    public string Status { get; }

    public string? Tag { get; }

    /// <summary>The server's explanation when training ended in ERROR.</summary>
    public string? Message { get; }

    public bool IsReady => Status == ProfileStatus.Ready.Value;

    /// <summary>The prompt reference form.</summary>
    public override string ToString() => $"[[{ProfileId}]]";
}
