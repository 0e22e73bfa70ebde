using System.Text.Json;

namespace Phota.Testing.OpenApi;

/// <summary>
/// The JSON Schema keywords <see cref="JsonSchemaValidator"/> understands. A document using any other keyword is
/// refused when loaded, so a newer spec cannot pass validation just because a constraint went unchecked.
/// </summary>
internal static class SchemaKeywords
{
    public static readonly HashSet<string> Validated =
    [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "enum", "const", "anyOf", "oneOf", "allOf", "not", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "format",
    ];

    /// <summary>Annotations: they describe but do not constrain.</summary>
    public static readonly HashSet<string> Ignored =
    [
        "title", "description", "examples", "example", "default", "deprecated", "readOnly", "writeOnly", "$comment",
    ];

    public static void EnsureSupported(OpenApiDocument document)
    {
        var unsupported = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string location, JsonElement schema) in AllSchemas(document.Root))
            Collect(schema, location, unsupported);
        if (unsupported.Count > 0)
            throw new NotSupportedException("The OpenAPI document uses schema keywords the validator does not check: " + string.Join(", ", unsupported));
    }

    private static IEnumerable<(string Location, JsonElement Schema)> AllSchemas(JsonElement root)
    {
        if (root.TryGetProperty("components", out JsonElement components) && components.TryGetProperty("schemas", out JsonElement schemas))
        {
            foreach (JsonProperty schema in schemas.EnumerateObject())
                yield return ($"#/components/schemas/{schema.Name}", schema.Value);
        }
        if (!root.TryGetProperty("paths", out JsonElement paths))
            yield break;
        foreach (JsonProperty path in paths.EnumerateObject())
        {
            foreach (JsonProperty operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
            {
                string where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement parameter in parameters.EnumerateArray())
                    {
                        if (parameter.TryGetProperty("schema", out JsonElement schema))
                            yield return ($"{where} parameter", schema);
                    }
                }
                if (operation.Value.TryGetProperty("requestBody", out JsonElement body) && body.TryGetProperty("content", out JsonElement bodyContent))
                {
                    foreach (JsonElement schema in MediaSchemas(bodyContent))
                        yield return ($"{where} request body", schema);
                }
                if (operation.Value.TryGetProperty("responses", out JsonElement responses))
                {
                    foreach (JsonProperty response in responses.EnumerateObject())
                    {
                        if (response.Value.TryGetProperty("content", out JsonElement content))
                        {
                            foreach (JsonElement schema in MediaSchemas(content))
                                yield return ($"{where} response {response.Name}", schema);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<JsonElement> MediaSchemas(JsonElement content) =>
        content.ValueKind != JsonValueKind.Object
            ? []
            : content.EnumerateObject()
                .Where(m => m.Value.ValueKind == JsonValueKind.Object && m.Value.TryGetProperty("schema", out _))
                .Select(m => m.Value.GetProperty("schema"));

    private static void Collect(JsonElement schema, string location, SortedSet<string> unsupported)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return;
        foreach (JsonProperty keyword in schema.EnumerateObject())
        {
            if (!Validated.Contains(keyword.Name) && !Ignored.Contains(keyword.Name))
                unsupported.Add($"{keyword.Name} (in {location})");
        }
        if (schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in properties.EnumerateObject())
                Collect(property.Value, $"{location}.{property.Name}", unsupported);
        }
        foreach (string single in new[] { "items", "additionalProperties", "not" })
        {
            if (schema.TryGetProperty(single, out JsonElement child))
            {
                if (single == "items" && child.ValueKind == JsonValueKind.Array)
                    unsupported.Add($"items as an array (in {location})");
                Collect(child, $"{location}/{single}", unsupported);
            }
        }
        foreach (string list in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema.TryGetProperty(list, out JsonElement alternatives) && alternatives.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement alternative in alternatives.EnumerateArray())
                    Collect(alternative, $"{location}/{list}", unsupported);
            }
        }
    }
}
