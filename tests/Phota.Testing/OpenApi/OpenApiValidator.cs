using System.Text;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace Phota.Testing.OpenApi;

/// <summary>
/// Checks responses (and request bodies) against an OpenAPI document: the operation for the method and path,
/// a declared status code, a declared media type, a JSON body valid against the declared schema, and JPEG bytes
/// where <c>image/jpeg</c> is declared.
/// </summary>
public sealed class OpenApiValidator(OpenApiDocument document)
{
    private static readonly Lazy<OpenApiValidator> VendoredValidator = new(() => new OpenApiValidator(OpenApiDocument.Vendored));

    // Formats (date-time) are checked, not only collected as annotations as 2020-12 does by default.
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    /// <summary>A validator for spec/openapi.v0.7.0.json, shared by all tests.</summary>
    public static OpenApiValidator Vendored => VendoredValidator.Value;

    public OpenApiDocument Document { get; } = document;

    /// <summary>
    /// Validates a response. <paramref name="body"/> null means the body was not read (too large, or an image
    /// stream): only the status code and media type are checked.
    /// </summary>
    /// <param name="requestPath">The request URI's path; a query string is ignored.</param>
    /// <param name="mediaType">The response's Content-Type without parameters, or null if it had none.</param>
    public OpenApiValidationResult ValidateResponse(string method, string requestPath, int statusCode, string? mediaType, ReadOnlyMemory<byte>? body)
    {
        if (!Document.TryMatchPath(requestPath, out string template, out JsonElement pathItem))
            return OpenApiValidationResult.NotAnApiPath(requestPath);

        string operationName = $"{method.ToUpperInvariant()} {template}";
        string subject = $"response {statusCode} to {method.ToUpperInvariant()} {StripQuery(requestPath)}";
        var violations = new List<string>();
        if (!OpenApiDocument.TryGetOperation(pathItem, method, out JsonElement operation))
        {
            violations.Add($"{subject}: {method.ToUpperInvariant()} is not an operation of {template} (declared: {string.Join(", ", OpenApiDocument.DeclaredMethods(pathItem))})");
            return new OpenApiValidationResult(true, operationName, violations);
        }

        if (!TryGetResponse(operation, statusCode, out string responseKey, out JsonElement response))
        {
            string declared = operation.TryGetProperty("responses", out JsonElement responses)
                ? string.Join(", ", responses.EnumerateObject().Select(r => r.Name))
                : "none";
            violations.Add($"{subject}: status {statusCode} is not declared for {operationName} (declared: {declared})");
            return new OpenApiValidationResult(true, operationName, violations);
        }

        if (response.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.Object && content.EnumerateObject().Any())
            CheckContent(subject, OperationLocation(template, method).Combine("responses", responseKey, "content"), content, mediaType, body, violations);

        return new OpenApiValidationResult(true, operationName, violations);
    }

    /// <summary>
    /// Validates a request body against the operation's <c>requestBody</c>, and query parameters against their
    /// schemas. <paramref name="body"/> empty means no body was sent.
    /// </summary>
    public OpenApiValidationResult ValidateRequest(string method, string requestPathAndQuery, string? mediaType, ReadOnlyMemory<byte> body)
    {
        string path = StripQuery(requestPathAndQuery);
        if (!Document.TryMatchPath(path, out string template, out JsonElement pathItem))
            return OpenApiValidationResult.NotAnApiPath(path);

        string operationName = $"{method.ToUpperInvariant()} {template}";
        string subject = $"request {method.ToUpperInvariant()} {path}";
        var violations = new List<string>();
        if (!OpenApiDocument.TryGetOperation(pathItem, method, out JsonElement operation))
        {
            violations.Add($"{subject}: {method.ToUpperInvariant()} is not an operation of {template} (declared: {string.Join(", ", OpenApiDocument.DeclaredMethods(pathItem))})");
            return new OpenApiValidationResult(true, operationName, violations);
        }

        JsonPointer operationLocation = OperationLocation(template, method);
        CheckQuery(subject, operationLocation, operation, requestPathAndQuery, violations);

        if (!operation.TryGetProperty("requestBody", out JsonElement requestBody))
        {
            if (!body.IsEmpty)
                violations.Add($"{subject}: sends a body, but {operationName} takes none");
            return new OpenApiValidationResult(true, operationName, violations);
        }

        if (body.IsEmpty)
        {
            if (requestBody.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.True)
                violations.Add($"{subject}: the request body is required");
        }
        else if (requestBody.TryGetProperty("content", out JsonElement content))
        {
            CheckContent(subject, operationLocation.Combine("requestBody", "content"), content, mediaType, body, violations);
        }
        return new OpenApiValidationResult(true, operationName, violations);
    }

    private void CheckContent(string subject, JsonPointer contentLocation, JsonElement content, string? mediaType, ReadOnlyMemory<byte>? body, List<string> violations)
    {
        string declared = string.Join(", ", content.EnumerateObject().Select(m => m.Name));
        if (body is { IsEmpty: true })
        {
            violations.Add($"{subject}: empty body, but {declared} is declared");
            return;
        }
        if (mediaType is null)
        {
            violations.Add($"{subject}: no Content-Type, but {declared} is declared");
            return;
        }
        if (!TryGetMediaType(content, mediaType, out string declaredMediaType, out JsonElement media))
        {
            violations.Add($"{subject}: Content-Type {mediaType} is not declared ({declared})");
            return;
        }
        if (body is not { } bytes)
            return;

        if (IsJson(mediaType))
        {
            if (!media.TryGetProperty("schema", out _))
                return;
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                violations.Add($"{subject}: the body is not valid JSON ({e.Message})");
                return;
            }
            using (parsed)
                violations.AddRange(SchemaViolations(contentLocation.Combine(declaredMediaType, "schema"), parsed.RootElement, "$").Select(v => $"{subject}: {v}"));
        }
        else if (mediaType.Equals("image/jpeg", StringComparison.OrdinalIgnoreCase) && !LooksLikeJpeg(bytes.Span))
        {
            violations.Add($"{subject}: the image/jpeg body is not a JPEG (no SOI/EOI markers)");
        }
    }

    private void CheckQuery(string subject, JsonPointer operationLocation, JsonElement operation, string requestPathAndQuery, List<string> violations)
    {
        if (!operation.TryGetProperty("parameters", out JsonElement parameters))
            return;
        Dictionary<string, string> query = ParseQuery(requestPathAndQuery);
        int index = -1;
        foreach (JsonElement parameter in parameters.EnumerateArray())
        {
            index++;
            if (parameter.GetProperty("in").GetString() != "query")
                continue;
            string name = parameter.GetProperty("name").GetString()!;
            if (!query.TryGetValue(name, out string? value))
            {
                if (parameter.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.True)
                    violations.Add($"{subject}: missing required query parameter \"{name}\"");
                continue;
            }
            if (!parameter.TryGetProperty("schema", out _))
                continue;
            // Query values arrive as text; check them as JSON strings (the document's query parameters are strings).
            JsonElement asString = JsonSerializer.SerializeToElement(value);
            JsonPointer schemaLocation = operationLocation.Combine("parameters", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "schema");
            violations.AddRange(SchemaViolations(schemaLocation, asString, $"query parameter {name}").Select(v => $"{subject}: {v}"));
        }
    }

    /// <summary>
    /// The errors JsonSchema.Net reports for <paramref name="instance"/>, each as "location: message (keyword)", the
    /// location written from <paramref name="root"/> as <c>$.jobs[0].status</c>.
    /// </summary>
    private IEnumerable<string> SchemaViolations(JsonPointer schemaLocation, JsonElement instance, string root)
    {
        EvaluationResults results = Document.SchemaAt(schemaLocation).Evaluate(instance, Evaluation);
        return Failures(results)
            .SelectMany(node => node.Errors!.Select(error => $"{InstancePath(root, node.InstanceLocation)}: {error.Value} ({error.Key})"))
            .Distinct();
    }

    // Only failing nodes are followed: a branch that failed inside an anyOf that passed is not a violation.
    private static IEnumerable<EvaluationResults> Failures(EvaluationResults node) =>
        node.IsValid
            ? []
            : (node.Errors is { Count: > 0 } ? [node] : Enumerable.Empty<EvaluationResults>())
                .Concat((node.Details ?? []).SelectMany(Failures));

    private static string InstancePath(string root, JsonPointer location)
    {
        var path = new StringBuilder(root);
        for (int i = 0; i < location.SegmentCount; i++)
        {
            string segment = location[i].ToString();
            path.Append(int.TryParse(segment, out _) ? $"[{segment}]" : $".{segment}");
        }
        return path.ToString();
    }

    private static JsonPointer OperationLocation(string template, string method) =>
        JsonPointer.Create("paths", template, method.ToLowerInvariant());

    private static Dictionary<string, string> ParseQuery(string pathAndQuery)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        int start = pathAndQuery.IndexOf('?');
        if (start < 0)
            return values;
        foreach (string pair in pathAndQuery[(start + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            string name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            string value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            values.TryAdd(name, value);
        }
        return values;
    }

    private static bool TryGetResponse(JsonElement operation, int statusCode, out string key, out JsonElement response)
    {
        response = default;
        key = "";
        if (!operation.TryGetProperty("responses", out JsonElement responses))
            return false;
        string code = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string candidate in new[] { code, $"{code[0]}XX", "default" })
        {
            if (responses.TryGetProperty(candidate, out response))
            {
                key = candidate;
                return true;
            }
        }
        return false;
    }

    private static bool TryGetMediaType(JsonElement content, string mediaType, out string declaredMediaType, out JsonElement media)
    {
        foreach (JsonProperty candidate in content.EnumerateObject())
        {
            string declared = candidate.Name;
            bool matches = declared.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
                || declared == "*/*"
                || (declared.EndsWith("/*", StringComparison.Ordinal) && mediaType.StartsWith(declared[..^1], StringComparison.OrdinalIgnoreCase));
            if (matches)
            {
                declaredMediaType = declared;
                media = candidate.Value;
                return true;
            }
        }
        declaredMediaType = "";
        media = default;
        return false;
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikeJpeg(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF && bytes[^2] == 0xFF && bytes[^1] == 0xD9;

    private static string StripQuery(string pathAndQuery)
    {
        int query = pathAndQuery.IndexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery[..query];
    }
}
