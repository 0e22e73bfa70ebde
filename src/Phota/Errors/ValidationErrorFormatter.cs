using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Phota.Errors;

/// <summary>Turns a 422 <c>detail</c> list (FastAPI's shape) into one readable sentence per field.</summary>
public static class ValidationErrorFormatter
{
    /// <summary>Field path (e.g. <c>images</c>, <c>image_urls[3]</c>) → its messages joined into one sentence.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(JsonElement detail)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        if (detail.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var item in detail.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var field = item.TryGetProperty("loc", out var loc) ? FieldPath(loc) : "request";
            var msg = item.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "is invalid";
            msg = msg.Trim().TrimEnd('.');
            if (result.TryGetValue(field, out var existing))
            {
                result[field] = existing.TrimEnd('.') + "; " + msg + ".";
            }
            else
            {
                result[field] = msg + ".";
                order.Add(field);
            }
        }

        return order.ToDictionary(f => f, f => result[f], StringComparer.Ordinal);
    }

    /// <summary>"field: message." sentences, one per field, joined by spaces.</summary>
    public static string ToSentences(IReadOnlyDictionary<string, string> fieldErrors)
        => string.Join(" ", fieldErrors.Select(kv => $"{kv.Key}: {kv.Value}"));

    private static string FieldPath(JsonElement loc)
    {
        if (loc.ValueKind != JsonValueKind.Array)
        {
            return "request";
        }

        var sb = new StringBuilder();
        var first = true;
        foreach (var part in loc.EnumerateArray())
        {
            if (first && part.ValueKind == JsonValueKind.String && part.GetString() is "body" or "query" or "path" or "header")
            {
                first = false;
                continue;
            }

            first = false;
            if (part.ValueKind == JsonValueKind.Number)
            {
                sb.Append('[').Append(part.GetInt64().ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(part.ToString());
            }
        }

        return sb.Length == 0 ? "request" : sb.ToString();
    }
}
