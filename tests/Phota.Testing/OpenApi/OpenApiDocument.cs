using System.Collections.Concurrent;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace Phota.Testing.OpenApi;

/// <summary>
/// An OpenAPI 3.1 document read with System.Text.Json: finds the operation for a method and request path by
/// matching the path templates under <c>paths</c>, and builds the JSON Schema (2020-12, JsonSchema.Net) found at
/// any location in it.
/// </summary>
public sealed class OpenApiDocument
{
    /// <summary>The vendored document's file name; the test projects copy it to <c>spec/</c> in their output.</summary>
    public const string VendoredFileName = "openapi.v0.7.0.json";

    private static readonly Lazy<OpenApiDocument> VendoredDocument = new(() => Load(FindVendoredFile()));

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private readonly List<PathTemplate> _paths = [];

    // The whole document is registered under its own URI, so a schema's "#/components/schemas/..." references
    // resolve inside it wherever the schema sits (a response, a request body, a parameter).
    private readonly Uri _uri = new($"urn:phota-openapi:{Guid.NewGuid():N}");
    private readonly BuildOptions _buildOptions = new() { SchemaRegistry = new SchemaRegistry() };
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private OpenApiDocument(JsonDocument json)
    {
        Root = json.RootElement;
        if (Root.TryGetProperty("paths", out JsonElement paths) && paths.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty path in paths.EnumerateObject())
                _paths.Add(new PathTemplate(path.Name, path.Value));
        }
        _buildOptions.SchemaRegistry.Register(_uri, new JsonElementBaseDocument(Root, _uri));
    }

    /// <summary>The document in the spec folder next to the test assembly (spec/openapi.v0.7.0.json), loaded once.</summary>
    public static OpenApiDocument Vendored => VendoredDocument.Value;

    public JsonElement Root { get; }

    public static OpenApiDocument Load(string path)
    {
        using FileStream file = File.OpenRead(path);
        return new OpenApiDocument(JsonDocument.Parse(file));
    }

    public static OpenApiDocument Parse(string json) => new(JsonDocument.Parse(json));

    /// <summary>
    /// Finds the path template matching <paramref name="requestPath"/> (without query); literal segments win over
    /// parameters. Returns false when the path is not one of the document's paths.
    /// </summary>
    public bool TryMatchPath(string requestPath, out string template, out JsonElement pathItem)
    {
        string[] segments = SplitPath(requestPath);
        PathTemplate? best = null;
        int bestLiterals = -1;
        foreach (PathTemplate candidate in _paths)
        {
            int literals = candidate.Match(segments);
            if (literals > bestLiterals)
            {
                best = candidate;
                bestLiterals = literals;
            }
        }
        template = best?.Template ?? "";
        pathItem = best?.Item ?? default;
        return best is not null;
    }

    /// <summary>The operation for <paramref name="method"/> on a path item, if the document declares one.</summary>
    public static bool TryGetOperation(JsonElement pathItem, string method, out JsonElement operation)
    {
        operation = default;
        string key = method.ToLowerInvariant();
        return Array.IndexOf(Methods, key) >= 0
            && pathItem.TryGetProperty(key, out operation)
            && operation.ValueKind == JsonValueKind.Object;
    }

    /// <summary>The methods a path item declares, upper case, for messages.</summary>
    public static IEnumerable<string> DeclaredMethods(JsonElement pathItem) =>
        Methods.Where(m => pathItem.TryGetProperty(m, out _)).Select(m => m.ToUpperInvariant());

    /// <summary>The schema at <paramref name="location"/> in the document (a JSON Pointer such as <c>/components/schemas/JobStatus</c>), built once.</summary>
    public JsonSchema SchemaAt(JsonPointer location) =>
        _schemas.GetOrAdd(location.ToString(), pointer =>
            JsonSchema.FromText(JsonSerializer.Serialize(new Dictionary<string, string> { ["$ref"] = $"{_uri}#{pointer}" }), _buildOptions));

    private static string[] SplitPath(string path)
    {
        int query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
            path = path[..query];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
    }

    private static string FindVendoredFile()
    {
        string besideAssembly = Path.Combine(AppContext.BaseDirectory, "spec", VendoredFileName);
        if (File.Exists(besideAssembly))
            return besideAssembly;
        // Fall back to the repository's spec folder (for runs from an unusual output layout).
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "spec", VendoredFileName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"spec/{VendoredFileName} is neither in the test output nor in a parent folder.", besideAssembly);
    }

    private sealed class PathTemplate(string template, JsonElement item)
    {
        private readonly string[] _segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);

        public string Template { get; } = template;

        public JsonElement Item { get; } = item;

        /// <summary>The number of literal segments matched, or -1 when the path does not match.</summary>
        public int Match(string[] segments)
        {
            if (segments.Length != _segments.Length)
                return -1;
            int literals = 0;
            for (int i = 0; i < segments.Length; i++)
            {
                string expected = _segments[i];
                if (expected.StartsWith('{') && expected.EndsWith('}'))
                {
                    if (segments[i].Length == 0)
                        return -1;
                }
                else if (string.Equals(expected, segments[i], StringComparison.Ordinal))
                {
                    literals++;
                }
                else
                {
                    return -1;
                }
            }
            return literals;
        }
    }
}
