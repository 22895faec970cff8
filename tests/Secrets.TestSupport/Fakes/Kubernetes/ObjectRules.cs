using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// What the real API server does to every object it stores: kind/apiVersion stamping, name and map validation, and the
/// Secret rules (stringData folded into base64 data, base64 checked, <c>immutable</c> enforced) — test-infra.md §2 pitfalls 6 and 8.
/// </summary>
internal static partial class ObjectRules
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string Name(JsonObject obj) => Text(obj["metadata"]?["name"]) ?? "";

    public static string Namespace(JsonObject obj) => Text(obj["metadata"]?["namespace"]) ?? "";

    public static string? Uid(JsonObject obj) => Text(obj["metadata"]?["uid"]);

    public static string? ResourceVersion(JsonObject obj) => Text(obj["metadata"]?["resourceVersion"]);

    /// <summary>A number however it is backed (int, long or parsed JSON): <c>GetValue&lt;long&gt;</c> throws on an int (test-infra.md §2 pitfall 7).</summary>
    public static long Long(JsonNode? node) =>
        node is JsonValue && long.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Puts kind and apiVersion first, as every object leaving the server carries them.</summary>
    public static void Stamp(JsonObject obj, KubeResource resource)
    {
        var rest = obj.Where(kv => kv.Key is not ("kind" or "apiVersion")).Select(kv => (kv.Key, kv.Value)).ToList();
        obj.Clear();
        obj["kind"] = resource.Kind;
        obj["apiVersion"] = resource.ApiVersion;
        foreach (var (key, value) in rest)
        {
            obj[key] = value;
        }
    }

    /// <summary>The body's kind/apiVersion, when given, must be the resource's (the real server answers 400).</summary>
    public static void CheckKind(JsonObject obj, KubeResource resource)
    {
        if (Text(obj["kind"]) is { } kind && kind != resource.Kind)
        {
            throw KubeApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        if (Text(obj["apiVersion"]) is { } apiVersion && apiVersion != resource.ApiVersion && !apiVersion.StartsWith(resource.Group + "/", StringComparison.Ordinal))
        {
            throw KubeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }
    }

    /// <summary>Validation every write gets; Secret-specific folding happens here too.</summary>
    public static void Validate(KubeResource resource, JsonObject obj)
    {
        var name = Name(obj);
        if (name.Length == 0 || name.Length > 253 || !NamePattern().IsMatch(name))
        {
            throw KubeApiException.Invalid(resource, name, "metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
        }

        CheckStringMap(obj["metadata"]?["labels"], "metadata.labels");
        CheckStringMap(obj["metadata"]?["annotations"], "metadata.annotations");
        if (resource.Group.Length == 0 && resource.Plural == "configmaps")
        {
            CheckStringMap(obj["data"], "data");
        }

        if (resource.Group.Length == 0 && resource.Plural == "secrets")
        {
            FoldSecret(obj);
        }
    }

    /// <summary>A Secret's <c>immutable: true</c> freezes data, stringData and the flag itself (real message quoted by sealed-secrets.md §2.4).</summary>
    public static void CheckImmutable(KubeResource resource, JsonObject old, JsonObject updated)
    {
        if (resource.Group.Length != 0 || resource.Plural is not ("secrets" or "configmaps") || old["immutable"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            return;
        }

        foreach (var field in new[] { "data", "binaryData", "type", "immutable" })
        {
            if (!JsonNode.DeepEquals(old[field], updated[field]))
            {
                throw KubeApiException.Invalid(resource, Name(old), field, "Forbidden: field is immutable when `immutable` is set");
            }
        }
    }

    /// <summary>True when anything outside metadata and status changed: the real server bumps generation then.</summary>
    public static bool SpecChanged(JsonObject old, JsonObject updated)
    {
        var keys = old.Select(kv => kv.Key).Union(updated.Select(kv => kv.Key)).Where(k => k is not ("metadata" or "status" or "kind" or "apiVersion"));
        return keys.Any(k => !JsonNode.DeepEquals(old[k], updated[k]));
    }

    private static void FoldSecret(JsonObject secret)
    {
        CheckStringMap(secret["stringData"], "stringData");
        CheckStringMap(secret["data"], "data");
        if (secret["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                if (!IsBase64(Text(value)!))
                {
                    throw KubeApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at data[\"{key}\"]");
                }
            }
        }

        if (secret["stringData"] is JsonObject stringData)
        {
            var target = secret["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                target[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Text(value)!));
            }

            secret["data"] = target;
            secret.Remove("stringData");
        }

        if (Text(secret["type"]) is null)
        {
            secret["type"] = "Opaque";
        }
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _) && !text.Any(char.IsWhiteSpace);
    }

    private static void CheckStringMap(JsonNode? node, string field)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject map)
        {
            throw KubeApiException.BadRequest($"json: cannot unmarshal {node.GetValueKind().ToString().ToLowerInvariant()} into Go struct field {field} of type map[string]string");
        }

        foreach (var (key, value) in map)
        {
            if (value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                var kind = value?.GetValueKind().ToString().ToLowerInvariant() ?? "null";
                throw KubeApiException.BadRequest($"json: cannot unmarshal {kind} into Go struct field {field}[\"{key}\"] of type string");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NamePattern();
}
