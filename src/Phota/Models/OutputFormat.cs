using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Output image format. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<OutputFormat>))]
public readonly struct OutputFormat : IStringEnum<OutputFormat>, IEquatable<OutputFormat>
{
    private readonly string? _value;

    private OutputFormat(string value) => _value = value;

    public static OutputFormat Jpg { get; } = new("jpg");

    public static OutputFormat Png { get; } = new("png");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<OutputFormat> Known { get; } = [Jpg, Png];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static OutputFormat FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static OutputFormat Parse(string value) => StringEnum.Parse<OutputFormat>(value);

    public static bool TryParse(string? value, out OutputFormat result)
    {
        if (string.Equals(value, "jpeg", StringComparison.OrdinalIgnoreCase))
        {
            result = Jpg;
            return true;
        }

        return StringEnum.TryParseKnown(value, out result);
    }

    public static implicit operator OutputFormat(string value) => Parse(value);

    public bool Equals(OutputFormat other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is OutputFormat other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(OutputFormat left, OutputFormat right) => left.Equals(right);

    public static bool operator !=(OutputFormat left, OutputFormat right) => !left.Equals(right);

    public override string ToString() => Value;
}
