using System.Text.Json.Serialization;

namespace Phota.Models;

// Response and simple request bodies, mirroring the schemas in spec/openapi.v0.7.0.json.

/// <summary>EditResponse: the result of edit, generate, enhance and remix (also a succeeded job's result).</summary>
public sealed record StudioResponse
{
    /// <summary>Base64 images (response_mode "bytes"); empty in "urls" mode.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>Signed download URLs, valid 24 hours (response_mode "urls"); empty in "bytes" mode.</summary>
    public IReadOnlyList<string> DownloadUrls { get; init; } = [];

    public KnownSubjects KnownSubjects { get; init; } = new();
}

/// <summary>KnownGeneratedSubjectCounts: how many times each profile was generated, summed over all outputs (drives billing).</summary>
public sealed record KnownSubjects
{
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();
}

/// <summary>JobHandle: the 202 answer to an async submit.</summary>
public sealed record JobHandle
{
    public required string JobId { get; init; }

    public JobState Status { get; init; } = JobState.Pending;

    /// <summary>Informational only: the library polls the documented <c>/v1/phota/jobs/{job_id}</c>.</summary>
    public string? PollUrl { get; init; }
}

/// <summary>JobStatus: the state of an async job, also the body of a webhook callback.</summary>
public sealed record JobStatus
{
    public required string JobId { get; init; }

    public JobState Status { get; init; }

    public StudioOperation Operation { get; init; }

    public StudioResponse? Result { get; init; }

    public JobError? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    [JsonIgnore]
    public bool IsFinished => Status == JobState.Succeeded || Status == JobState.Failed;
}

/// <summary>JobError: why a job failed (a PhotaErrorCode, or instance_died / dispatch_failed).</summary>
public sealed record JobError
{
    public string Code { get; init; } = string.Empty;

    public string Message { get; init; } = string.Empty;
}

public sealed record WebhookSecretResponse
{
    public required string WebhookSigningSecret { get; init; }
}

/// <summary>AddProfileRequest. Build it and call <see cref="Profiles.ProfileRequestValidator.Validate"/> (the client does) before sending.</summary>
public sealed record AddProfileRequest
{
    public required IReadOnlyList<string> ImageUrls { get; init; }

    public TrainingTier TrainingTier { get; init; } = TrainingTier.Standard;

    public string? Tag { get; init; }
}

public sealed record AddProfileResponse
{
    public required string ProfileId { get; init; }
}

public sealed record DeleteProfileResponse
{
    public required string ProfileId { get; init; }

    public string Status { get; init; } = string.Empty;
}

/// <summary>ProfileInfo: one entry of the profile list.</summary>
public sealed record ProfileInfo
{
    public required string ProfileId { get; init; }

    public ProfileStatus Status { get; init; }

    public string? Tag { get; init; }

    /// <summary>The prompt reference form, <c>[[profile_id]]</c>.</summary>
    public override string ToString() => $"[[{ProfileId}]]";
}

public sealed record ProfileIdsResponse
{
    public IReadOnlyList<ProfileInfo> Profiles { get; init; } = [];
}

/// <summary>ProfileStatusResponse: training status of one profile.</summary>
public sealed record ProfileStatusResponse
{
    public required string ProfileId { get; init; }

    public ProfileStatus Status { get; init; }

    /// <summary>The server's explanation, filled when training ended in ERROR.</summary>
    public string Message { get; init; } = string.Empty;

    [JsonIgnore]
    public bool IsFinished => Status == ProfileStatus.Ready || Status == ProfileStatus.Error || Status == ProfileStatus.Inactive;

    /// <summary>The prompt reference form, <c>[[profile_id]]</c>.</summary>
    public override string ToString() => $"[[{ProfileId}]]";
}
