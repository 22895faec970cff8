using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Engine;
using Secrets.Sops.Rules;
using Secrets.Sops.Stores;

namespace Secrets.Sops.Kubernetes;

/// <summary>
/// The <c>secrets.gitops.dev/v1alpha1 SopsSecret</c> resource (docs/gitops.md): Secret bodies under <c>spec</c> —
/// either <c>spec.secretTemplates[]</c> (each with a name) or one template directly in <c>spec</c> named like the
/// resource — encrypted with <c>encrypted_regex: ^(data|stringData)$</c> and <c>mac_only_encrypted</c>, so name
/// prefixes, labels and namespaces added by kustomize leave the MAC intact.
/// </summary>
public static class SopsSecretDocument
{
    public const string Group = "secrets.gitops.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "SopsSecret";
    public const string Plural = "sopssecrets";
    public const string EncryptedRegex = "^(data|stringData)$";

    /// <summary>The rules every SopsSecret is encrypted with.</summary>
    public static EncryptionRules Rules { get; } = new() { EncryptedRegex = EncryptedRegex, MacOnlyEncrypted = true };

    public static bool IsSopsSecret(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return SopsDetection.Text(document["kind"]) == Kind && SopsDetection.Text(document["apiVersion"])?.StartsWith(Group + "/", StringComparison.Ordinal) == true;
    }

    /// <summary>
    /// A plain SopsSecret holding <paramref name="secrets"/>: one Secret gives the single-template form named like it,
    /// several give <c>secretTemplates</c>. Keys are sorted at every level, because the API server stores custom resources
    /// with sorted keys and the MAC depends on the order of the encrypted values (sops.md §3).
    /// </summary>
    public static JsonObject FromSecrets(IReadOnlyList<JsonObject> secrets, string? name, string? ns)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new InvalidFileException("the input holds no Secret");
        }

        var templates = secrets.Select(ToTemplate).ToList();
        var namespaces = secrets.Select(s => SopsDetection.Text(s["metadata"]?["namespace"])).Where(n => n is not null).Distinct(StringComparer.Ordinal).ToList();
        if (ns is null && namespaces.Count > 1)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"the Secrets are in different namespaces ({string.Join(", ", namespaces)})")
            {
                Hints = ["a SopsSecret creates Secrets in its own namespace: split the input or pass --namespace"],
            };
        }

        JsonObject spec;
        if (templates.Count == 1)
        {
            spec = templates[0];
            name ??= SopsDetection.Text(spec["name"]);
            spec.Remove("name");
        }
        else
        {
            name ??= SopsDetection.Text(templates[0]["name"]);
            spec = new JsonObject { ["secretTemplates"] = new JsonArray([.. templates]) };
        }

        var metadata = new JsonObject { ["name"] = name ?? throw new InvalidFileException("the Secret has no metadata.name") };
        if ((ns ?? namespaces.FirstOrDefault()) is { } targetNamespace)
        {
            metadata["namespace"] = targetNamespace;
        }

        return Sorted(new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["metadata"] = metadata, ["spec"] = spec });
    }

    /// <summary>Encrypts a plain SopsSecret into sops YAML (indent 2, like Flux's fixtures).</summary>
    public static async Task<byte[]> EncryptAsync(JsonObject plain, IReadOnlyList<IReadOnlyList<IMasterKey>> keyGroups, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var documents = new JsonStore().LoadPlain(Encoding.UTF8.GetBytes(Sorted(plain).ToJsonString()));
        var request = new EncryptionRequest { KeyGroups = keyGroups, Rules = Rules, Time = time };
        var file = await SopsEngine.EncryptAsync(documents, request, cancellationToken).ConfigureAwait(false);
        return new YamlStore(2).EmitEncrypted(file);
    }

    /// <summary>
    /// The Secrets a decrypted SopsSecret describes, in its namespace: <c>stringData</c> merged into base64 <c>data</c>
    /// (stringData wins, as on the API server). Malformed templates fail with the path, never a value.
    /// </summary>
    public static IReadOnlyList<JsonObject> ToSecrets(JsonObject decrypted)
    {
        ArgumentNullException.ThrowIfNull(decrypted);
        var ns = SopsDetection.Text(decrypted["metadata"]?["namespace"]);
        var spec = decrypted["spec"] as JsonObject ?? throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)}: spec is missing");
        var secrets = new List<JsonObject>();
        if (spec["secretTemplates"] is { } list)
        {
            var items = list as JsonArray ?? throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)}: spec.secretTemplates is not a list");
            for (var i = 0; i < items.Count; i++)
            {
                var template = items[i] as JsonObject ?? throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)}: spec.secretTemplates[{i}] is not a mapping");
                var name = SopsDetection.Text(template["name"]) is { Length: > 0 } n ? n : throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)}: spec.secretTemplates[{i}].name is missing");
                secrets.Add(ToSecret(template, name, ns, $"spec.secretTemplates[{i}]"));
            }
        }
        else
        {
            secrets.Add(ToSecret(spec, SopsDetection.Text(decrypted["metadata"]?["name"]) ?? "", ns, "spec"));
        }

        var duplicate = secrets.GroupBy(s => SopsDetection.Text(s["metadata"]!["name"]), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? secrets : throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)}: two templates are named \"{duplicate.Key}\"");
    }

    private static JsonObject ToSecret(JsonObject template, string name, string? ns, string path)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (template[field] is { } map)
            {
                metadata[field] = StringMap(map, $"{path}.{field}", (_, value) => value);
            }
        }

        var data = template["data"] is { } encoded ? StringMap(encoded, $"{path}.data", Base64) : new JsonObject();
        if (template["stringData"] is { } text)
        {
            foreach (var (key, value) in StringMap(text, $"{path}.stringData", (_, v) => v))
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value!.GetValue<string>()));
            }
        }

        var secret = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = metadata, ["type"] = SopsDetection.Text(template["type"]) ?? "Opaque" };
        if (template["immutable"] is JsonValue immutable && immutable.TryGetValue<bool>(out var isImmutable))
        {
            secret["immutable"] = isImmutable;
        }

        secret["data"] = data;
        return secret;
    }

    /// <summary>A map of strings; scalars that are not strings (YAML <c>port: 5432</c>) become their text.</summary>
    private static JsonObject StringMap(JsonNode node, string path, Func<string, string, string> convert)
    {
        var map = node as JsonObject ?? throw new InvalidFileException($"{path} is not a mapping");
        var result = new JsonObject();
        foreach (var (key, value) in map)
        {
            var text = value switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v => v.ToJsonString(),
                null => "",
                _ => throw new InvalidFileException($"{path}.\"{key}\" is not a scalar"),
            };
            result[key] = convert(key, text);
        }

        return result;
    }

    private static string Base64(string key, string value)
    {
        return IsBase64(value) ? value : throw new InvalidFileException($"data \"{key}\" is not valid base64");
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    private static JsonObject ToTemplate(JsonObject secret)
    {
        if (SopsDetection.Text(secret["kind"]) != "Secret" || SopsDetection.Text(secret["apiVersion"]) != "v1")
        {
            throw new InvalidFileException($"{ManifestDecryptor.Describe(secret)} is not a v1 Secret");
        }

        if (secret.ContainsKey("sops"))
        {
            throw new SecretsOperationException(ErrorKind.AlreadyEncrypted, $"{ManifestDecryptor.Describe(secret)} is already sops-encrypted");
        }

        var metadata = secret["metadata"] as JsonObject;
        var template = new JsonObject { ["name"] = SopsDetection.Text(metadata?["name"]) };
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (metadata?[field] is JsonObject { Count: > 0 } map)
            {
                template[field] = map.DeepClone();
            }
        }

        foreach (var field in new[] { "type", "immutable", "data", "stringData" })
        {
            if (secret[field] is { } value)
            {
                template[field] = value.DeepClone();
            }
        }

        return template;
    }

    /// <summary>A deep copy with mapping keys in ordinal order, as the API server and kustomize store them.</summary>
    public static JsonObject Sorted(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (JsonObject)SortedNode(node)!;
    }

    private static JsonNode? SortedNode(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, SortedNode(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(SortedNode)]),
        _ => node?.DeepClone(),
    };
}
