using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Training status of a profile. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<ProfileStatus>))]
public readonly struct ProfileStatus : IStringEnum<ProfileStatus>, IEquatable<ProfileStatus>
{
    private readonly string? _value;

    private ProfileStatus(string value) => _value = value;

    public static ProfileStatus Validating { get; } = new("VALIDATING");

    public static ProfileStatus Queuing { get; } = new("QUEUING");

    public static ProfileStatus InProgress { get; } = new("IN_PROGRESS");

    public static ProfileStatus Ready { get; } = new("READY");

    public static ProfileStatus Error { get; } = new("ERROR");

    public static ProfileStatus Inactive { get; } = new("INACTIVE");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<ProfileStatus> Known { get; } = [Validating, Queuing, InProgress, Ready, Error, Inactive];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static ProfileStatus FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static ProfileStatus Parse(string value) => StringEnum.Parse<ProfileStatus>(value);

    public static bool TryParse(string? value, out ProfileStatus result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator ProfileStatus(string value) => Parse(value);

    public bool Equals(ProfileStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ProfileStatus other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(ProfileStatus left, ProfileStatus right) => left.Equals(right);

    public static bool operator !=(ProfileStatus left, ProfileStatus right) => !left.Equals(right);

    public override string ToString() => Value;
}
