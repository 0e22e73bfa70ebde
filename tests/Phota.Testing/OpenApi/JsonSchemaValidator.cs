using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Phota.Testing.OpenApi;

/// <summary>
/// A JSON Schema (2020-12 subset) validator for the keywords the Phota OpenAPI document uses; see
/// <see cref="SchemaKeywords"/>. Violations are readable sentences that start with the instance's JSON path.
/// </summary>
public sealed partial class JsonSchemaValidator(OpenApiDocument document)
{
    private const int MaxDepth = 64;

    /// <summary>Validates <paramref name="instance"/> against <paramref name="schema"/>, adding violations to <paramref name="violations"/>.</summary>
    public void Validate(JsonElement schema, JsonElement instance, List<string> violations, string path = "$") =>
        Validate(schema, instance, path, violations, depth: 0);

    /// <summary>Violations of <paramref name="instance"/> against the schema at a local reference such as <c>#/components/schemas/JobStatus</c>.</summary>
    public IReadOnlyList<string> Validate(string schemaReference, JsonElement instance)
    {
        var violations = new List<string>();
        Validate(document.ResolveReference(schemaReference), instance, "$", violations, 0);
        return violations;
    }

    private void Validate(JsonElement schema, JsonElement instance, string path, List<string> violations, int depth)
    {
        if (depth > MaxDepth)
        {
            violations.Add($"{path}: nested deeper than {MaxDepth} schema levels (a reference cycle?)");
            return;
        }
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return;
            case JsonValueKind.False:
                violations.Add($"{path}: no value is allowed here");
                return;
            case JsonValueKind.Object:
                break;
            default:
                throw new InvalidDataException($"A schema must be an object or a boolean, not {schema.ValueKind}.");
        }

        // In OpenAPI 3.1 a $ref may have sibling keywords; both apply.
        if (schema.TryGetProperty("$ref", out JsonElement reference))
            Validate(document.ResolveReference(reference.GetString()!), instance, path, violations, depth + 1);

        if (schema.TryGetProperty("type", out JsonElement type) && !MatchesType(type, instance))
        {
            violations.Add($"{path}: expected {DescribeType(type)}, found {Describe(instance)}");
            return; // Further keywords would only repeat the mismatch.
        }

        if (schema.TryGetProperty("enum", out JsonElement allowed) && !allowed.EnumerateArray().Any(a => JsonEquals(a, instance)))
            violations.Add($"{path}: {Describe(instance)} is not one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}");

        if (schema.TryGetProperty("const", out JsonElement constant) && !JsonEquals(constant, instance))
            violations.Add($"{path}: expected {constant.GetRawText()}, found {Describe(instance)}");

        ValidateCombinations(schema, instance, path, violations, depth);

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, instance, path, violations, depth);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, instance, path, violations, depth);
                break;
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, violations);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, instance, path, violations);
                break;
        }
    }

    private void ValidateCombinations(JsonElement schema, JsonElement instance, string path, List<string> violations, int depth)
    {
        if (schema.TryGetProperty("allOf", out JsonElement allOf))
        {
            foreach (JsonElement part in allOf.EnumerateArray())
                Validate(part, instance, path, violations, depth + 1);
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf))
        {
            List<(JsonElement Alternative, List<string> Violations)> attempts = Attempt(anyOf, instance, path, depth);
            if (!attempts.Any(a => a.Violations.Count == 0))
                violations.Add($"{path}: matches none of the anyOf alternatives ({Summarize(attempts)})");
        }

        if (schema.TryGetProperty("oneOf", out JsonElement oneOf))
        {
            List<(JsonElement Alternative, List<string> Violations)> attempts = Attempt(oneOf, instance, path, depth);
            int matches = attempts.Count(a => a.Violations.Count == 0);
            if (matches == 0)
                violations.Add($"{path}: matches none of the oneOf alternatives ({Summarize(attempts)})");
            else if (matches > 1)
                violations.Add($"{path}: matches {matches} of the oneOf alternatives; exactly one must match");
        }

        if (schema.TryGetProperty("not", out JsonElement not))
        {
            var notViolations = new List<string>();
            Validate(not, instance, path, notViolations, depth + 1);
            if (notViolations.Count == 0)
                violations.Add($"{path}: {Describe(instance)} matches a schema it must not match");
        }
    }

    private List<(JsonElement, List<string>)> Attempt(JsonElement alternatives, JsonElement instance, string path, int depth)
    {
        var attempts = new List<(JsonElement, List<string>)>();
        foreach (JsonElement alternative in alternatives.EnumerateArray())
        {
            var attempt = new List<string>();
            Validate(alternative, instance, path, attempt, depth + 1);
            attempts.Add((alternative, attempt));
        }
        return attempts;
    }

    private static string Summarize(List<(JsonElement Alternative, List<string> Violations)> attempts) =>
        string.Join("; ", attempts.Select(a => $"{DescribeSchema(a.Alternative)}: {string.Join(", ", a.Violations)}"));

    private void ValidateObject(JsonElement schema, JsonElement instance, string path, List<string> violations, int depth)
    {
        schema.TryGetProperty("properties", out JsonElement properties);
        bool hasProperties = properties.ValueKind == JsonValueKind.Object;

        if (schema.TryGetProperty("required", out JsonElement required))
        {
            foreach (JsonElement name in required.EnumerateArray())
            {
                if (!instance.TryGetProperty(name.GetString()!, out _))
                    violations.Add($"{path}: missing required property \"{name.GetString()}\"");
            }
        }

        schema.TryGetProperty("additionalProperties", out JsonElement additional);
        foreach (JsonProperty property in instance.EnumerateObject())
        {
            string propertyPath = Child(path, property.Name);
            if (hasProperties && properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                Validate(propertySchema, property.Value, propertyPath, violations, depth + 1);
            else if (additional.ValueKind == JsonValueKind.False)
                violations.Add($"{propertyPath}: property is not allowed (additionalProperties is false)");
            else if (additional.ValueKind == JsonValueKind.Object)
                Validate(additional, property.Value, propertyPath, violations, depth + 1);
        }
    }

    private void ValidateArray(JsonElement schema, JsonElement instance, string path, List<string> violations, int depth)
    {
        int count = instance.GetArrayLength();
        if (schema.TryGetProperty("minItems", out JsonElement minItems) && count < minItems.GetDecimal())
            violations.Add($"{path}: {count} items, fewer than the minimum of {minItems.GetRawText()}");
        if (schema.TryGetProperty("maxItems", out JsonElement maxItems) && count > maxItems.GetDecimal())
            violations.Add($"{path}: {count} items, more than the maximum of {maxItems.GetRawText()}");
        if (schema.TryGetProperty("items", out JsonElement items))
        {
            int index = 0;
            foreach (JsonElement item in instance.EnumerateArray())
                Validate(items, item, $"{path}[{index++}]", violations, depth + 1);
        }
    }

    private static void ValidateString(JsonElement schema, string value, string path, List<string> violations)
    {
        // JSON Schema counts characters as Unicode code points, not UTF-16 units.
        int length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out JsonElement minLength) && length < minLength.GetDecimal())
            violations.Add($"{path}: {length} characters, shorter than the minimum of {minLength.GetRawText()}");
        if (schema.TryGetProperty("maxLength", out JsonElement maxLength) && length > maxLength.GetDecimal())
            violations.Add($"{path}: {length} characters, longer than the maximum of {maxLength.GetRawText()}");
        if (schema.TryGetProperty("format", out JsonElement format) && format.GetString() == "date-time" && !IsDateTime(value))
            violations.Add($"{path}: \"{Shorten(value)}\" is not an RFC 3339 date-time");
    }

    private static void ValidateNumber(JsonElement schema, JsonElement instance, string path, List<string> violations)
    {
        void Check(string keyword, Func<int, bool> isViolation, string relation)
        {
            if (schema.TryGetProperty(keyword, out JsonElement limit) && limit.ValueKind == JsonValueKind.Number && isViolation(CompareNumbers(instance, limit)))
                violations.Add($"{path}: {instance.GetRawText()} is {relation} {limit.GetRawText()}");
        }

        Check("minimum", c => c < 0, "less than the minimum");
        Check("maximum", c => c > 0, "greater than the maximum");
        Check("exclusiveMinimum", c => c <= 0, "not greater than the exclusive minimum");
        Check("exclusiveMaximum", c => c >= 0, "not less than the exclusive maximum");
    }

    /// <summary>RFC 3339 date-time: full date, 'T', time with optional fraction, and a mandatory offset.</summary>
    public static bool IsDateTime(string value)
    {
        if (!DateTimePattern().IsMatch(value))
            return false;
        string normalized = value.ToUpperInvariant();
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

    private static bool MatchesType(JsonElement type, JsonElement instance) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => HasType(t.GetString()!, instance))
            : HasType(type.GetString()!, instance);

    private static bool HasType(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsIntegral(instance),
        _ => throw new NotSupportedException($"Unknown JSON Schema type '{type}'."),
    };

    // JSON Schema counts 3.0 as an integer: only the value matters, not how it is written.
    private static bool IsIntegral(JsonElement number)
    {
        if (number.TryGetInt64(out _))
            return true;
        if (number.TryGetDecimal(out decimal value))
            return value == decimal.Truncate(value);
        double d = number.GetDouble();
        return double.IsFinite(d) && Math.Floor(d) == d;
    }

    private static int CompareNumbers(JsonElement a, JsonElement b) =>
        a.TryGetDecimal(out decimal x) && b.TryGetDecimal(out decimal y) ? x.CompareTo(y) : a.GetDouble().CompareTo(b.GetDouble());

    /// <summary>Structural equality: numbers by value, objects regardless of property order.</summary>
    public static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
            return false;
        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return CompareNumbers(a, b) == 0;
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                return left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out JsonElement other) && JsonEquals(p.Value, other));
            default:
                return true; // true, false and null carry no further value
        }
    }

    private static string DescribeType(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString())) : type.GetString()!;

    private static string DescribeSchema(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return schema.GetRawText();
        if (schema.TryGetProperty("$ref", out JsonElement reference))
            return reference.GetString()!.Split('/')[^1];
        if (schema.TryGetProperty("type", out JsonElement type))
            return DescribeType(type);
        return "schema";
    }

    /// <summary>A value's kind and a short excerpt, for messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => $"an array of {value.GetArrayLength()}",
        JsonValueKind.String => $"string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static string Child(string path, string name)
    {
        bool plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (plain)
            return $"{path}.{name}";
        var escaped = new StringBuilder(name.Length + 8);
        foreach (char c in name)
            escaped.Append(c is '\'' or '\\' ? "\\" + c : c.ToString());
        return $"{path}['{escaped}']";
    }
}
