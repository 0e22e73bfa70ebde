using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>
/// A string-valued API enumeration. Values the library does not know (a newer server) are kept as they are
/// instead of failing deserialization.
/// </summary>
public interface IStringEnum<TSelf> where TSelf : struct, IStringEnum<TSelf>
{
    string Value { get; }

    /// <summary>Every value the API documents, for validation and tab completion.</summary>
    static abstract IReadOnlyList<TSelf> Known { get; }

    static abstract TSelf FromWire(string value);

    static abstract bool TryParse(string? value, out TSelf result);
}

/// <summary>Parsing shared by every <see cref="IStringEnum{TSelf}"/>: documented values, ignoring case.</summary>
public static class StringEnum
{
    /// <summary>Parses with the type's own TryParse; anything else is refused with the list of valid values.</summary>
    public static T Parse<T>(string value) where T : struct, IStringEnum<T>
        => T.TryParse(value, out var result)
            ? result
            : throw new ArgumentException($"'{value}' is not a valid {typeof(T).Name}. Valid values: {string.Join(", ", T.Known)}.", nameof(value));

    /// <summary>Finds the documented value equal to <paramref name="value"/>, ignoring case.</summary>
    public static bool TryParseKnown<T>(string? value, out T result) where T : struct, IStringEnum<T>
    {
        foreach (var known in T.Known)
        {
            if (string.Equals(known.Value, value, StringComparison.OrdinalIgnoreCase))
            {
                result = known;
                return true;
            }
        }

        result = default;
        return false;
    }
}

/// <summary>Reads and writes an <see cref="IStringEnum{TSelf}"/> as its JSON string.</summary>
public sealed class StringEnumConverter<T> : JsonConverter<T> where T : struct, IStringEnum<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}.");
        }

        return T.FromWire(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value);
}
