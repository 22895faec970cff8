using System.Text.Json.Nodes;

namespace Secrets.ExternalSecrets.Api;

/// <summary>The parts of <c>metadata</c> the ESO logic reads.</summary>
public sealed record ObjectMeta
{
    public required string Name { get; init; }

    /// <summary>Null for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public long Generation { get; init; }

    public string? ResourceVersion { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<string> Finalizers { get; init; } = [];

    public DateTimeOffset? DeletionTimestamp { get; init; }

    internal static ObjectMeta Parse(ManifestField metadata) => new()
    {
        Name = metadata["name"].Required,
        Namespace = metadata["namespace"].String,
        Uid = metadata["uid"].String,
        Generation = metadata["generation"].Long ?? 0,
        ResourceVersion = metadata["resourceVersion"].String,
        Labels = metadata["labels"].MapOrEmpty,
        Annotations = metadata["annotations"].MapOrEmpty,
        Finalizers = metadata["finalizers"].Strings,
        DeletionTimestamp = metadata["deletionTimestamp"].String is { } time ? DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    /// <summary>"namespace/name" or "name", for messages.</summary>
    public string Display => Namespace is null ? Name : $"{Namespace}/{Name}";

    internal static string SourceOf(JsonObject obj, string kind)
    {
        var meta = obj["metadata"] as JsonObject;
        var name = meta?["name"]?.ToString() ?? "<unnamed>";
        var ns = meta?["namespace"]?.ToString();
        return ns is null ? $"{kind} \"{name}\"" : $"{kind} \"{ns}/{name}\"";
    }
}
