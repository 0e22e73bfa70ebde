using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Profile training tier: standard (Full Train, 10-50 images) or fast (Quick Train, 5-10 images). Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<TrainingTier>))]
public readonly struct TrainingTier : IStringEnum<TrainingTier>, IEquatable<TrainingTier>
{
    private readonly string? _value;

    private TrainingTier(string value) => _value = value;

    public static TrainingTier Standard { get; } = new("standard");

    public static TrainingTier Fast { get; } = new("fast");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<TrainingTier> Known { get; } = [Standard, Fast];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static TrainingTier FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static TrainingTier Parse(string value) => StringEnum.Parse<TrainingTier>(value);

    public static bool TryParse(string? value, out TrainingTier result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator TrainingTier(string value) => Parse(value);

    public bool Equals(TrainingTier other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TrainingTier other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(TrainingTier left, TrainingTier right) => left.Equals(right);

    public static bool operator !=(TrainingTier left, TrainingTier right) => !left.Equals(right);

    public override string ToString() => Value;
}
