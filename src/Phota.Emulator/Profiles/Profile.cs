namespace Phota.Emulator.Profiles;

/// <summary>
/// A trained identity. Status is computed from the creation time and the training duration:
/// VALIDATING for the first 5 % of the duration, QUEUING until 10 %, IN_PROGRESS until 100 %, then
/// READY, or ERROR right after VALIDATING when validation found a problem. A READY profile that is
/// not used by a studio request for <see cref="EmulatorOptions.ProfileInactiveAfter"/> is INACTIVE.
/// </summary>
internal sealed class Profile
{
    public const double ValidatingFraction = 0.05;
    public const double QueuingFraction = 0.10;

    public string Id { get; set; } = "";
    public string? Tag { get; set; }
    public string Tier { get; set; } = "standard";
    public int ImageCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public TimeSpan TrainingDuration { get; set; }

    /// <summary>Why validation fails (decided when the profile is added, shown once VALIDATING ends).</summary>
    public string? ErrorMessage { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
    public bool Settled { get; set; }

    public DateTimeOffset ValidatedAt => CreatedAt + TrainingDuration * ValidatingFraction;
    public DateTimeOffset ReadyAt => CreatedAt + TrainingDuration;

    public string Status(DateTimeOffset now, TimeSpan inactiveAfter)
    {
        var elapsed = now - CreatedAt;
        if (now < ValidatedAt) return "VALIDATING";
        if (ErrorMessage is not null) return "ERROR";
        if (elapsed < TrainingDuration * QueuingFraction) return "QUEUING";
        if (now < ReadyAt) return "IN_PROGRESS";
        var lastActive = LastUsedAt is { } used && used > ReadyAt ? used : ReadyAt;
        return now - lastActive >= inactiveAfter ? "INACTIVE" : "READY";
    }

    public string Message(string status) => status switch
    {
        "ERROR" => ErrorMessage ?? "",
        "VALIDATING" => "Validating the training images.",
        "QUEUING" => "Waiting for a training slot.",
        "IN_PROGRESS" => "Training.",
        "INACTIVE" => "The profile has not been used for a long time and is inactive.",
        _ => "",
    };
}
