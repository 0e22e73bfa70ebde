using System.Globalization;
using System.Text.Json;

namespace Phota.Emulator.Validation;

/// <summary>
/// Reads request fields the way the API's pydantic models do (lax JSON mode): numeric strings
/// become integers, whole floats are accepted, and every violation is recorded with FastAPI's
/// error type and message. Unknown fields are ignored.
/// </summary>
internal sealed class FieldReader(JsonElement body, ValidationErrors errors)
{
    public JsonElement Body { get; } = body;

    public bool Has(string name) => Body.TryGetProperty(name, out _);

    public bool HasNonNull(string name) => Body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public bool Bool(string name, bool fallback)
    {
        if (!Body.TryGetProperty(name, out var v)) return fallback;
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number when v.TryGetInt64(out var n) && n is 0 or 1: return n == 1;
            case JsonValueKind.String:
                switch (v.GetString()!.Trim().ToLowerInvariant())
                {
                    case "true" or "1" or "yes" or "on" or "t" or "y": return true;
                    case "false" or "0" or "no" or "off" or "f" or "n": return false;
                }

                errors.Add("bool_parsing", "Input should be a valid boolean, unable to interpret input", name);
                return fallback;
            default:
                errors.Add("bool_type", "Input should be a valid boolean", name);
                return fallback;
        }
    }

    /// <summary>A string field; <paramref name="nullable"/> fields accept JSON null (returned as null).</summary>
    public string? String(string name, string? fallback, bool nullable, bool required = false, int? minLength = null, int? maxLength = null)
    {
        if (!Body.TryGetProperty(name, out var v))
        {
            if (required) errors.Add("missing", "Field required", name);
            return fallback;
        }

        if (v.ValueKind == JsonValueKind.Null && nullable) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add("string_type", "Input should be a valid string", name);
            return fallback;
        }

        var s = v.GetString()!;
        CheckLength(s, minLength, maxLength, name);
        return s;
    }

    public int Int(string name, int fallback, int minimum, int maximum)
    {
        if (!Body.TryGetProperty(name, out var v)) return fallback;
        long value;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number when v.TryGetInt64(out var n):
                value = n;
                break;
            case JsonValueKind.Number:
                var d = v.GetDouble();
                if (d != Math.Floor(d) || !double.IsFinite(d))
                {
                    errors.Add("int_from_float", "Input should be a valid integer, got a number with a fractional part", name);
                    return fallback;
                }

                value = d > long.MaxValue ? long.MaxValue : d < long.MinValue ? long.MinValue : (long)d;
                break;
            case JsonValueKind.String when long.TryParse(v.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p):
                value = p;
                break;
            case JsonValueKind.String:
                errors.Add("int_parsing", "Input should be a valid integer, unable to parse string as an integer", name);
                return fallback;
            default:
                errors.Add("int_type", "Input should be a valid integer", name);
                return fallback;
        }

        if (value < minimum)
        {
            errors.Add("greater_than_equal", $"Input should be greater than or equal to {minimum}", name);
            return fallback;
        }

        if (value > maximum)
        {
            errors.Add("less_than_equal", $"Input should be less than or equal to {maximum}", name);
            return fallback;
        }

        return (int)value;
    }

    /// <summary>A field restricted to <paramref name="allowed"/> values.</summary>
    public string? Choice(string name, string? fallback, string[] allowed, bool nullable, string errorType = "literal_error")
    {
        if (!Body.TryGetProperty(name, out var v)) return fallback;
        if (v.ValueKind == JsonValueKind.Null && nullable) return null;
        if (v.ValueKind == JsonValueKind.String && Array.IndexOf(allowed, v.GetString()) >= 0) return v.GetString();
        errors.Add(errorType, "Input should be " + DescribeChoices(allowed), name);
        return fallback;
    }

    /// <summary>A list of strings; null means absent (or invalid, with the error recorded).</summary>
    public List<string>? StringList(string name, bool required = false, int? minItems = null, int? maxItems = null)
    {
        if (!Body.TryGetProperty(name, out var v))
        {
            if (required) errors.Add("missing", "Field required", name);
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add("list_type", "Input should be a valid list", name);
            return null;
        }

        var list = new List<string>(v.GetArrayLength());
        var index = 0;
        var itemsValid = true;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
            else
            {
                errors.Add("string_type", "Input should be a valid string", name, index);
                itemsValid = false;
            }

            index++;
        }

        if (maxItems is { } max && index > max)
        {
            errors.Add("too_long", $"List should have at most {max} item{(max == 1 ? "" : "s")} after validation, not {index}", name);
            return null;
        }

        if (minItems is { } min && index < min)
        {
            errors.Add("too_short", $"List should have at least {min} item{(min == 1 ? "" : "s")} after validation, not {index}", name);
            return null;
        }

        return itemsValid ? list : null;
    }

    private void CheckLength(string s, int? minLength, int? maxLength, string name)
    {
        var length = s.EnumerateRunes().Count(); // Python counts code points
        if (minLength is { } min && length < min)
            errors.Add("string_too_short", $"String should have at least {min} character{(min == 1 ? "" : "s")}", name);
        if (maxLength is { } max && length > max)
            errors.Add("string_too_long", $"String should have at most {max} character{(max == 1 ? "" : "s")}", name);
    }

    internal static string DescribeChoices(string[] allowed)
    {
        var quoted = allowed.Select(a => $"'{a}'").ToArray();
        return quoted.Length == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " or " + quoted[^1];
    }
}
