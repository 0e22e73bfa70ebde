using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Quality tier, only for gpt-image-2. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<ImageQuality>))]
public readonly struct ImageQuality : IStringEnum<ImageQuality>, IEquatable<ImageQuality>
{
    private readonly string? _value;

    private ImageQuality(string value) => _value = value;

    public static ImageQuality Auto { get; } = new("auto");

    public static ImageQuality Low { get; } = new("low");

    public static ImageQuality Medium { get; } = new("medium");

    public static ImageQuality High { get; } = new("high");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<ImageQuality> Known { get; } = [Auto, Low, Medium, High];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static ImageQuality FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static ImageQuality Parse(string value) => StringEnum.Parse<ImageQuality>(value);

    public static bool TryParse(string? value, out ImageQuality result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator ImageQuality(string value) => Parse(value);

    public bool Equals(ImageQuality other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ImageQuality other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(ImageQuality left, ImageQuality right) => left.Equals(right);

    public static bool operator !=(ImageQuality left, ImageQuality right) => !left.Equals(right);

    public override string ToString() => Value;
}
