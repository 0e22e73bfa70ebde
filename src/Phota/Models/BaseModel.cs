using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Base model for edit and generate. Unknown values from the server are kept, not rejected.</summary>
[JsonConverter(typeof(StringEnumConverter<BaseModel>))]
public readonly struct BaseModel : IStringEnum<BaseModel>, IEquatable<BaseModel>
{
    private readonly string? _value;

    private BaseModel(string value) => _value = value;

    public static BaseModel Nb2 { get; } = new("nb2");

    public static BaseModel GptImage2 { get; } = new("gpt-image-2");

    public static BaseModel QwenImage2 { get; } = new("qwen-image-2");

    public static BaseModel Flux2 { get; } = new("flux-2");

    public static BaseModel Reve { get; } = new("reve");

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    public static IReadOnlyList<BaseModel> Known { get; } = [Nb2, GptImage2, QwenImage2, Flux2, Reve];

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsKnown => Known.Contains(this);

    public static BaseModel FromWire(string value) => new(value);

    /// <summary>Parses a documented value, ignoring case; anything else is refused with the list of valid values.</summary>
    public static BaseModel Parse(string value) => StringEnum.Parse<BaseModel>(value);

    public static bool TryParse(string? value, out BaseModel result) => StringEnum.TryParseKnown(value, out result);

    public static implicit operator BaseModel(string value) => Parse(value);

    public bool Equals(BaseModel other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is BaseModel other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(BaseModel left, BaseModel right) => left.Equals(right);

    public static bool operator !=(BaseModel left, BaseModel right) => !left.Equals(right);

    public override string ToString() => Value;
}
