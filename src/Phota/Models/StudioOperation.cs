using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>A studio operation. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<StudioOperation>))]
public readonly struct StudioOperation : IStringEnum<StudioOperation>, IEquatable<StudioOperation>
{
    private readonly string? _value;

    private StudioOperation(string value) => _value = value;

    public static StudioOperation Edit { get; } = new("edit");

    public static StudioOperation Generate { get; } = new("generate");

    public static StudioOperation Enhance { get; } = new("enhance");

    public static StudioOperation Remix { get; } = new("remix");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<StudioOperation> Known { get; } = [Edit, Generate, Enhance, Remix];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static StudioOperation FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static StudioOperation Parse(string value) => StringEnum.Parse<StudioOperation>(value);

    public static bool TryParse(string? value, out StudioOperation result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator StudioOperation(string value) => Parse(value);

    public bool Equals(StudioOperation other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is StudioOperation other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(StudioOperation left, StudioOperation right) => left.Equals(right);

    public static bool operator !=(StudioOperation left, StudioOperation right) => !left.Equals(right);

    public override string ToString() => Value;
}
