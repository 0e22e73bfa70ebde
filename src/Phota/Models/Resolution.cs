using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Output resolution. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<Resolution>))]
public readonly struct Resolution : IStringEnum<Resolution>, IEquatable<Resolution>
{
    private readonly string? _value;

    private Resolution(string value) => _value = value;

    public static Resolution OneK { get; } = new("1K");

    public static Resolution TwoK { get; } = new("2K");

    public static Resolution FourK { get; } = new("4K");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<Resolution> Known { get; } = [OneK, TwoK, FourK];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static Resolution FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static Resolution Parse(string value) => StringEnum.Parse<Resolution>(value);

    public static bool TryParse(string? value, out Resolution result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator Resolution(string value) => Parse(value);

    public bool Equals(Resolution other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Resolution other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(Resolution left, Resolution right) => left.Equals(right);

    public static bool operator !=(Resolution left, Resolution right) => !left.Equals(right);

    public override string ToString() => Value;
}
