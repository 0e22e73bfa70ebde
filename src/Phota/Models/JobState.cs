using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>State of an async job. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<JobState>))]
public readonly struct JobState : IStringEnum<JobState>, IEquatable<JobState>
{
    private readonly string? _value;

    private JobState(string value) => _value = value;

    public static JobState Pending { get; } = new("pending");

    public static JobState Running { get; } = new("running");

    public static JobState Succeeded { get; } = new("succeeded");

    public static JobState Failed { get; } = new("failed");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<JobState> Known { get; } = [Pending, Running, Succeeded, Failed];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static JobState FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static JobState Parse(string value) => StringEnum.Parse<JobState>(value);

    public static bool TryParse(string? value, out JobState result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator JobState(string value) => Parse(value);

    public bool Equals(JobState other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is JobState other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(JobState left, JobState right) => left.Equals(right);

    public static bool operator !=(JobState left, JobState right) => !left.Equals(right);

    public override string ToString() => Value;
}
