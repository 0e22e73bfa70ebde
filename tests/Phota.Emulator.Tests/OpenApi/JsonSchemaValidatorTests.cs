using System.Text.Json;
using Phota.Testing.OpenApi;

namespace Phota.Emulator.Tests.OpenApi;

public class JsonSchemaValidatorTests
{
    // A small document exercising each keyword; the vendored spec is covered by OpenApiValidatorTests.
    private const string Document = """
        {
          "openapi": "3.1.0",
          "paths": {},
          "components": { "schemas": {
            "Closed": {
              "type": "object",
              "properties": { "id": { "type": "string" }, "n": { "type": "integer", "minimum": 1, "maximum": 4 } },
              "required": ["id"],
              "additionalProperties": false
            },
            "Counts": { "type": "object", "additionalProperties": { "type": "integer" } },
            "Number": { "type": "number", "exclusiveMinimum": 0 },
            "Status": { "type": "string", "enum": ["pending", "running"] },
            "Pending": { "type": "string", "const": "pending" },
            "MaybeClosed": { "anyOf": [ { "$ref": "#/components/schemas/Closed" }, { "type": "null" } ] },
            "Tag": { "type": "string", "minLength": 1, "maxLength": 3 },
            "List": { "type": "array", "items": { "$ref": "#/components/schemas/Closed" }, "minItems": 1, "maxItems": 2 },
            "When": { "type": "string", "format": "date-time" },
            "Either": { "oneOf": [ { "type": "integer" }, { "type": "number", "minimum": 10 } ] },
            "Annotated": { "$ref": "#/components/schemas/Tag", "description": "a $ref with siblings", "maxLength": 2, "default": "x", "examples": ["ab"] }
          } }
        }
        """;

    private static readonly JsonSchemaValidator Validator = new(OpenApiDocument.Parse(Document));

    private static IReadOnlyList<string> Check(string schema, string json)
    {
        using JsonDocument instance = JsonDocument.Parse(json);
        return Validator.Validate($"#/components/schemas/{schema}", instance.RootElement.Clone());
    }

    [Theory]
    [InlineData("Closed", """{"id":"a"}""")]
    [InlineData("Closed", """{"id":"a","n":4}""")]
    [InlineData("Closed", """{"id":"a","n":2.0}""")] // 2.0 is an integer by value
    [InlineData("Counts", """{"p1":3,"p 2":0}""")]
    [InlineData("Number", "0.5")]
    [InlineData("Status", "\"running\"")]
    [InlineData("Pending", "\"pending\"")]
    [InlineData("MaybeClosed", "null")]
    [InlineData("MaybeClosed", """{"id":"x"}""")]
    [InlineData("Tag", "\"😀😀😀\"")] // three code points, six UTF-16 units
    [InlineData("List", """[{"id":"a"},{"id":"b"}]""")]
    [InlineData("When", "\"2026-05-08T12:00:00Z\"")]
    [InlineData("When", "\"2026-05-08t12:00:00.123456+02:00\"")]
    [InlineData("Either", "10.5")]
    [InlineData("Annotated", "\"ab\"")]
    public void Conforming_values_pass(string schema, string json)
    {
        Assert.Empty(Check(schema, json));
    }

    [Theory]
    [InlineData("Closed", """{"n":1}""", "$: missing required property \"id\"")]
    [InlineData("Closed", """{"id":"a","extra":1}""", "$.extra: property is not allowed (additionalProperties is false)")]
    [InlineData("Closed", """{"id":"a","n":2.5}""", "$.n: expected integer, found number 2.5")]
    [InlineData("Closed", """{"id":"a","n":5}""", "$.n: 5 is greater than the maximum 4")]
    [InlineData("Closed", """{"id":"a","n":0}""", "$.n: 0 is less than the minimum 1")]
    [InlineData("Closed", """{"id":7}""", "$.id: expected string, found number 7")]
    [InlineData("Closed", "[]", "$: expected object, found an array of 0")]
    [InlineData("Counts", """{"p-1":"3"}""", "$['p-1']: expected integer, found string \"3\"")]
    [InlineData("Number", "0", "$: 0 is not greater than the exclusive minimum 0")]
    [InlineData("Status", "\"done\"", "$: string \"done\" is not one of \"pending\", \"running\"")]
    [InlineData("Pending", "\"running\"", "$: expected \"pending\", found string \"running\"")]
    [InlineData("Tag", "\"\"", "$: 0 characters, shorter than the minimum of 1")]
    [InlineData("Tag", "\"abcd\"", "$: 4 characters, longer than the maximum of 3")]
    [InlineData("List", "[]", "$: 0 items, fewer than the minimum of 1")]
    [InlineData("List", """[{"id":"a"},{"id":"b"},{"id":"c"}]""", "$: 3 items, more than the maximum of 2")]
    [InlineData("List", """[{"id":"a"},{"id":"b","x":true}]""", "$[1].x: property is not allowed (additionalProperties is false)")]
    [InlineData("When", "\"2026-05-08T12:00:00\"", "$: \"2026-05-08T12:00:00\" is not an RFC 3339 date-time")]
    [InlineData("When", "\"2026-13-08T12:00:00Z\"", "$: \"2026-13-08T12:00:00Z\" is not an RFC 3339 date-time")]
    [InlineData("When", "\"8 May 2026\"", "$: \"8 May 2026\" is not an RFC 3339 date-time")]
    [InlineData("Either", "12", "$: matches 2 of the oneOf alternatives; exactly one must match")]
    [InlineData("Annotated", "\"abc\"", "$: 3 characters, longer than the maximum of 2")]
    public void Each_violation_is_reported_with_its_json_path(string schema, string json, string expected)
    {
        Assert.Equal([expected], Check(schema, json));
    }

    [Fact]
    public void An_anyof_failure_explains_every_alternative()
    {
        IReadOnlyList<string> violations = Check("MaybeClosed", """{"n":9}""");

        string violation = Assert.Single(violations);
        Assert.StartsWith("$: matches none of the anyOf alternatives (", violation);
        Assert.Contains("Closed: $: missing required property \"id\", $.n: 9 is greater than the maximum 4", violation);
        Assert.Contains("null: $: expected null, found an object", violation);
    }

    [Fact]
    public void A_document_using_an_unchecked_keyword_is_refused()
    {
        const string withPattern = """
            { "paths": {}, "components": { "schemas": { "Id": { "type": "string", "pattern": "^[a-z]+$" } } } }
            """;

        var error = Assert.Throws<NotSupportedException>(() => OpenApiDocument.Parse(withPattern));
        Assert.Contains("pattern (in #/components/schemas/Id)", error.Message);
    }

    [Fact]
    public void Numbers_and_objects_compare_by_value_in_enum_and_const()
    {
        using JsonDocument a = JsonDocument.Parse("""{"x":1.0,"y":[true,null]}""");
        using JsonDocument b = JsonDocument.Parse("""{"y":[true,null],"x":1}""");
        using JsonDocument c = JsonDocument.Parse("""{"y":[true,false],"x":1}""");

        Assert.True(JsonSchemaValidator.JsonEquals(a.RootElement, b.RootElement));
        Assert.False(JsonSchemaValidator.JsonEquals(a.RootElement, c.RootElement));
    }
}
