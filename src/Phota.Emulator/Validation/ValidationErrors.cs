using System.Text.Json.Nodes;
using Phota.Emulator.Http;

namespace Phota.Emulator.Validation;

/// <summary>Collects schema violations and writes them as FastAPI's 422 <c>{"detail":[{loc,msg,type}]}</c>.</summary>
internal sealed class ValidationErrors
{
    private readonly List<JsonObject> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string type, string msg, params object[] loc)
    {
        var locArray = new JsonArray();
        locArray.Add("body");
        foreach (var part in loc)
            locArray.Add(part is int i ? JsonValue.Create(i) : JsonValue.Create(part.ToString()));
        _errors.Add(new JsonObject { ["loc"] = locArray, ["msg"] = msg, ["type"] = type });
    }

    public void AddAt(JsonArray loc, string type, string msg) =>
        _errors.Add(new JsonObject { ["loc"] = loc, ["msg"] = msg, ["type"] = type });

    public Task Write(HttpContext context)
    {
        var detail = new JsonArray();
        foreach (var e in _errors) detail.Add(e);
        return ApiErrors.WriteJson(context, 422, new JsonObject { ["detail"] = detail });
    }

    /// <summary>The 422 FastAPI sends for a body that is missing, not JSON or not an object.</summary>
    public static Task WriteBodyProblem(HttpContext context, RequestBody.Result result)
    {
        var errors = new ValidationErrors();
        switch (result.Outcome)
        {
            case RequestBody.Outcome.Empty:
                errors.Add("missing", "Field required");
                break;
            case RequestBody.Outcome.InvalidJson:
                errors.AddAt(new JsonArray("body", (int)result.ErrorPosition), "json_invalid", "JSON decode error");
                break;
            default:
                errors.Add("model_attributes_type", "Input should be a valid dictionary or object to extract fields from");
                break;
        }

        return errors.Write(context);
    }
}
