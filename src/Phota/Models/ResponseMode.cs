using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>How a response delivers images: base64 bytes or signed URLs. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<ResponseMode>))]
public readonly struct ResponseMode : IStringEnum<ResponseMode>, IEquatable<ResponseMode>
{
    private readonly string? _value;

    private ResponseMode(string value) => _value = value;

    public static ResponseMode Bytes { get; } = new("bytes");

    public static ResponseMode Urls { get; } = new("urls");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<ResponseMode> Known { get; } = [Bytes, Urls];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static ResponseMode FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static ResponseMode Parse(string value) => StringEnum.Parse<ResponseMode>(value);

    public static bool TryParse(string? value, out ResponseMode result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator ResponseMode(string value) => Parse(value);

    public bool Equals(ResponseMode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ResponseMode other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(ResponseMode left, ResponseMode right) => left.Equals(right);

    public static bool operator !=(ResponseMode left, ResponseMode right) => !left.Equals(right);

    public override string ToString() => Value;
}
