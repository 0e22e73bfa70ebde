using System.Text.Json.Serialization;

namespace Phota.Models;

/// <summary>Source-generated serialization for every body the client sends or reads: snake_case, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(StudioResponse))]
[JsonSerializable(typeof(JobHandle))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(WebhookSecretResponse))]
[JsonSerializable(typeof(AddProfileRequest))]
[JsonSerializable(typeof(AddProfileResponse))]
[JsonSerializable(typeof(DeleteProfileResponse))]
[JsonSerializable(typeof(ProfileIdsResponse))]
[JsonSerializable(typeof(ProfileStatusResponse))]
[JsonSerializable(typeof(StudioBodyFields))]
[JsonSerializable(typeof(Jobs.JournalRecord))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class PhotaJsonContext : JsonSerializerContext
{
}
