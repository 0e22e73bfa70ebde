using System.Text.Json;

namespace Phota.Testing.OpenApi;

/// <summary>
/// Checks responses (and request bodies) against an OpenAPI document: the operation for the method and path,
/// a declared status code, a declared media type, a JSON body valid against the declared schema, and JPEG bytes
/// where <c>image/jpeg</c> is declared.
/// </summary>
public sealed class OpenApiValidator(OpenApiDocument document)
{
    private static readonly Lazy<OpenApiValidator> VendoredValidator = new(() => new OpenApiValidator(OpenApiDocument.Vendored));

    private readonly JsonSchemaValidator _schemas = new(document);

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

        if (!TryGetResponse(operation, statusCode, out JsonElement response))
        {
            string declared = operation.TryGetProperty("responses", out JsonElement responses)
                ? string.Join(", ", responses.EnumerateObject().Select(r => r.Name))
                : "none";
            violations.Add($"{subject}: status {statusCode} is not declared for {operationName} (declared: {declared})");
            return new OpenApiValidationResult(true, operationName, violations);
        }

        if (response.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.Object && content.EnumerateObject().Any())
            CheckContent(subject, content, mediaType, body, violations);

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

        CheckQuery(subject, operation, requestPathAndQuery, violations);

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
            CheckContent(subject, content, mediaType, body, violations);
        }
        return new OpenApiValidationResult(true, operationName, violations);
    }

    private void CheckContent(string subject, JsonElement content, string? mediaType, ReadOnlyMemory<byte>? body, List<string> violations)
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
        if (!TryGetMediaType(content, mediaType, out JsonElement media))
        {
            violations.Add($"{subject}: Content-Type {mediaType} is not declared ({declared})");
            return;
        }
        if (body is not { } bytes)
            return;

        if (IsJson(mediaType))
        {
            if (!media.TryGetProperty("schema", out JsonElement schema))
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
            {
                var schemaViolations = new List<string>();
                _schemas.Validate(schema, parsed.RootElement, schemaViolations);
                violations.AddRange(schemaViolations.Select(v => $"{subject}: {v}"));
            }
        }
        else if (mediaType.Equals("image/jpeg", StringComparison.OrdinalIgnoreCase) && !LooksLikeJpeg(bytes.Span))
        {
            violations.Add($"{subject}: the image/jpeg body is not a JPEG (no SOI/EOI markers)");
        }
    }

    private void CheckQuery(string subject, JsonElement operation, string requestPathAndQuery, List<string> violations)
    {
        if (!operation.TryGetProperty("parameters", out JsonElement parameters))
            return;
        Dictionary<string, string> query = ParseQuery(requestPathAndQuery);
        foreach (JsonElement parameter in parameters.EnumerateArray())
        {
            if (parameter.GetProperty("in").GetString() != "query")
                continue;
            string name = parameter.GetProperty("name").GetString()!;
            if (!query.TryGetValue(name, out string? value))
            {
                if (parameter.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.True)
                    violations.Add($"{subject}: missing required query parameter \"{name}\"");
                continue;
            }
            if (!parameter.TryGetProperty("schema", out JsonElement schema))
                continue;
            // Query values arrive as text; check them as JSON strings (the document's query parameters are strings).
            using JsonDocument asString = JsonDocument.Parse(JsonSerializer.Serialize(value));
            var parameterViolations = new List<string>();
            _schemas.Validate(schema, asString.RootElement, parameterViolations, $"query parameter {name}");
            violations.AddRange(parameterViolations.Select(v => $"{subject}: {v}"));
        }
    }

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

    private static bool TryGetResponse(JsonElement operation, int statusCode, out JsonElement response)
    {
        response = default;
        if (!operation.TryGetProperty("responses", out JsonElement responses))
            return false;
        string code = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return responses.TryGetProperty(code, out response)
            || responses.TryGetProperty($"{code[0]}XX", out response)
            || responses.TryGetProperty("default", out response);
    }

    private static bool TryGetMediaType(JsonElement content, string mediaType, out JsonElement media)
    {
        foreach (JsonProperty candidate in content.EnumerateObject())
        {
            string declared = candidate.Name;
            bool matches = declared.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
                || declared == "*/*"
                || (declared.EndsWith("/*", StringComparison.Ordinal) && mediaType.StartsWith(declared[..^1], StringComparison.OrdinalIgnoreCase));
            if (matches)
            {
                media = candidate.Value;
                return true;
            }
        }
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
