using System.Text;
using System.Text.Json;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>Value helpers shared by providers (runtime/esutils JSONToSecretDataMap, property extraction, §2.1).</summary>
public static class ProviderValues
{
    /// <summary>
    /// A JSON object as a Secret map: string values unquoted, everything else the raw JSON text
    /// (dataFrom.extract, §2.1); anything but an object is an error naming the key.
    /// </summary>
    public static Dictionary<string, byte[]> JsonToMap(byte[] json, string key)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SyncException($"unable to unmarshal secret {key}: the value is not a JSON object");
            }

            var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => Encoding.UTF8.GetBytes(property.Value.GetString()!),
                    JsonValueKind.Null => [],
                    _ => Encoding.UTF8.GetBytes(property.Value.GetRawText()),
                };
            }

            return map;
        }
        catch (JsonException e)
        {
            throw new SyncException($"unable to unmarshal secret {key}: the value is not valid JSON", e);
        }
    }

    /// <summary>Plain gjson property lookup; missing ⇒ <see cref="SecretNotFoundException"/>.</summary>
    public static byte[] Property(byte[] value, string? property, string provider, string key)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (property is null)
        {
            return value;
        }

        return GJson.Get(value, property) ?? throw new SecretNotFoundException($"{provider}: property \"{property}\" not found in secret \"{key}\"");
    }

    /// <summary>AWS rule: a property containing '.' is first tried as one escaped literal key, then as a path.</summary>
    public static byte[]? PropertyEscapedFirst(byte[] value, string property) =>
        (property.Contains('.', StringComparison.Ordinal) ? GJson.Get(value, GJson.Escape(property)) : null) ?? GJson.Get(value, property);

    /// <summary>Azure rule: the path first, then (for dotted properties) the escaped literal key.</summary>
    public static byte[]? PropertyPathFirst(byte[] value, string property) =>
        GJson.Get(value, property) ?? (property.Contains('.', StringComparison.Ordinal) ? GJson.Get(value, GJson.Escape(property)) : null);

    /// <summary>A map as compact JSON with sorted keys and no HTML escaping (the Kubernetes provider's whole-secret value).</summary>
    public static byte[] MapToJson(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.WriteString(k, v);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Find's name filter: Go RE2 regexp, unanchored (§2.2).</summary>
    public static Func<string, bool> NameMatcher(string? pattern)
    {
        if (pattern is null)
        {
            return _ => true;
        }

        var regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return regex.IsMatch;
    }
}
