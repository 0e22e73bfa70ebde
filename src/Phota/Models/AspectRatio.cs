using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Output aspect ratio. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<AspectRatio>))]
public readonly struct AspectRatio : IStringEnum<AspectRatio>, IEquatable<AspectRatio>
{
    private readonly string? _value;

    private AspectRatio(string value) => _value = value;

    public static AspectRatio Auto { get; } = new("auto");

    public static AspectRatio Square { get; } = new("1:1");

    public static AspectRatio Portrait3x4 { get; } = new("3:4");

    public static AspectRatio Landscape4x3 { get; } = new("4:3");

    public static AspectRatio Portrait9x16 { get; } = new("9:16");

    public static AspectRatio Landscape16x9 { get; } = new("16:9");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<AspectRatio> Known { get; } = [Auto, Square, Portrait3x4, Landscape4x3, Portrait9x16, Landscape16x9];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static AspectRatio FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static AspectRatio Parse(string value) => StringEnum.Parse<AspectRatio>(value);

    public static bool TryParse(string? value, out AspectRatio result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator AspectRatio(string value) => Parse(value);

    public bool Equals(AspectRatio other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is AspectRatio other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(AspectRatio left, AspectRatio right) => left.Equals(right);

    public static bool operator !=(AspectRatio left, AspectRatio right) => !left.Equals(right);

    public override string ToString() => Value;
}
