using System.Text;
using System.Text.Json.Nodes;
using Secrets.Sealing.Manifests;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>An ownerReference as the sync needs it.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller);

/// <summary>
/// A core/v1 Secret as the sync reads and writes it, independent of any Kubernetes client (the controller converts it
/// with <see cref="ToJson"/>/<see cref="FromJson"/>).
/// </summary>
public sealed record KubeSecret
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public string Type { get; init; } = "Opaque";

    public SortedDictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Annotations { get; init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> Data { get; init; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Finalizers { get; init; } = [];

    public IReadOnlyList<OwnerReference> OwnerReferences { get; init; } = [];

    public bool Immutable { get; init; }

    /// <summary>The controlling owner, if any.</summary>
    public OwnerReference? Controller => OwnerReferences.FirstOrDefault(o => o.Controller);

    public static KubeSecret FromJson(JsonObject secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var metadata = secret["metadata"] as JsonObject ?? [];
        var data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret["data"] as JsonObject ?? [])
        {
            data[key] = Convert.FromBase64String(Nodes.GetString(value) ?? "");
        }

        foreach (var (key, value) in secret["stringData"] as JsonObject ?? [])
        {
            data[key] = Encoding.UTF8.GetBytes(Nodes.GetString(value) ?? "");
        }

        return new KubeSecret
        {
            Name = Nodes.GetString(metadata["name"]) ?? "",
            Namespace = Nodes.GetString(metadata["namespace"]) ?? "",
            Uid = Nodes.GetString(metadata["uid"]),
            ResourceVersion = Nodes.GetString(metadata["resourceVersion"]),
            Type = Nodes.GetString(secret["type"]) ?? "Opaque",
            Labels = Nodes.GetStringMap(metadata["labels"], "metadata.labels", "Secret"),
            Annotations = Nodes.GetStringMap(metadata["annotations"], "metadata.annotations", "Secret"),
            Data = data,
            Finalizers = (metadata["finalizers"] as JsonArray ?? []).Select(f => Nodes.GetString(f) ?? "").ToList(),
            OwnerReferences = (metadata["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Select(o => new OwnerReference(
                Nodes.GetString(o["apiVersion"]) ?? "", Nodes.GetString(o["kind"]) ?? "", Nodes.GetString(o["name"]) ?? "", Nodes.GetString(o["uid"]) ?? "", Nodes.GetBool(o["controller"]) ?? false)).ToList(),
            Immutable = Nodes.GetBool(secret["immutable"]) ?? false,
        };
    }

    public JsonObject ToJson()
    {
        var metadata = new JsonObject { ["name"] = Name, ["namespace"] = Namespace };
        if (ResourceVersion is not null)
        {
            metadata["resourceVersion"] = ResourceVersion;
        }

        if (Labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(Labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        }

        if (Annotations.Count > 0)
        {
            metadata["annotations"] = new JsonObject(Annotations.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        }

        if (Finalizers.Count > 0)
        {
            metadata["finalizers"] = new JsonArray([.. Finalizers.Select(f => (JsonNode?)f)]);
        }

        if (OwnerReferences.Count > 0)
        {
            metadata["ownerReferences"] = new JsonArray([.. OwnerReferences.Select(o => (JsonNode?)new JsonObject
            {
                ["apiVersion"] = o.ApiVersion,
                ["kind"] = o.Kind,
                ["name"] = o.Name,
                ["uid"] = o.Uid,
                ["controller"] = o.Controller,
                ["blockOwnerDeletion"] = o.Controller,
            })]);
        }

        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = metadata,
            ["type"] = Type,
            ["data"] = new JsonObject(Data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Convert.ToBase64String(kv.Value)))),
        };
        if (Immutable)
        {
            secret["immutable"] = true;
        }

        return secret;
    }

    /// <summary>Same content as far as the sync is concerned (so an unchanged Secret is not rewritten).</summary>
    public bool SameContentAs(KubeSecret other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Type == other.Type && Immutable == other.Immutable
            && Labels.SequenceEqual(other.Labels) && Annotations.SequenceEqual(other.Annotations)
            && Finalizers.SequenceEqual(other.Finalizers) && OwnerReferences.SequenceEqual(other.OwnerReferences)
            && SameData(Data, other.Data);
    }

    public static bool SameData(IReadOnlyDictionary<string, byte[]> a, IReadOnlyDictionary<string, byte[]> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && kv.Value.AsSpan().SequenceEqual(v));
    }
}
