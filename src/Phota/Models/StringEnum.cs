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

    static abstract TSelf FromWire(string value);
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
