using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secrets.Sealing.Manifests;

/// <summary>Small, forgiving accessors for JSON nodes read from user manifests.</summary>
public static class Nodes
{
    /// <summary>The text of a scalar: a string as is, a number or boolean as written; null for null or a non-scalar.</summary>
    public static string? GetString(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => null,
    };

    public static bool? GetBool(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == JsonValueKind.False => false,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && bool.TryParse(value.GetValue<string>(), out var b) => b,
        _ => null,
    };

    /// <summary>A string map such as <c>annotations</c> or <c>encryptedData</c>, sorted by key like Go maps are written.</summary>
    public static SortedDictionary<string, string> GetStringMap(JsonNode? node, string what, string source)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case null:
                return map;
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    map[key] = GetString(value) ?? (value is null ? "" : throw new Core.InvalidFileException($"\"{source}\": {what}.\"{key}\" is not a string"));
                }

                return map;
            default:
                throw new Core.InvalidFileException($"\"{source}\": {what} is not a mapping");
        }
    }

    public static JsonObject ToObject(IEnumerable<KeyValuePair<string, string>> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = JsonValue.Create(value);
        }

        return obj;
    }
}
