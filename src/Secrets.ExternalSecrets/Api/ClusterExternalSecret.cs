using System.Text.Json.Nodes;

namespace Secrets.ExternalSecrets.Api;

/// <summary>external-secrets.io/v1 ClusterExternalSecret (eso-flux.md §1.6): one ExternalSecret per selected namespace.</summary>
public sealed record ClusterExternalSecret
{
    public const string KindName = "ClusterExternalSecret";

    public required ObjectMeta Metadata { get; init; }

    /// <summary>The raw <c>spec.externalSecretSpec</c>, copied verbatim into each generated ExternalSecret.</summary>
    public required JsonObject ExternalSecretSpecJson { get; init; }

    /// <summary>The same spec, parsed (validates it once for every namespace).</summary>
    public required ExternalSecretSpec ExternalSecretSpec { get; init; }

    /// <summary>Defaults to the ClusterExternalSecret's name.</summary>
    public required string ExternalSecretName { get; init; }

    public IReadOnlyDictionary<string, string> ExternalSecretLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> ExternalSecretAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>ORed: a namespace matching any selector (or listed in <see cref="Namespaces"/>) is provisioned.</summary>
    public IReadOnlyList<LabelSelector> NamespaceSelectors { get; init; } = [];

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Namespace re-scan period (<c>spec.refreshTime</c>, default 1m).</summary>
    public TimeSpan RefreshTime { get; init; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<string> ProvisionedNamespaces { get; init; } = [];

    public static ClusterExternalSecret Parse(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var root = new ManifestField(obj, "", ObjectMeta.SourceOf(obj, KindName));
        ApiGroup.CheckKind(root, KindName);
        var spec = root["spec"];
        var metadata = ObjectMeta.Parse(root["metadata"]);
        var selectors = spec["namespaceSelectors"].Items.Select(LabelSelector.Parse).OfType<LabelSelector>().ToList();
        if (LabelSelector.Parse(spec["namespaceSelector"]) is { } deprecated)
        {
            selectors.Add(deprecated);
        }

        return new ClusterExternalSecret
        {
            Metadata = metadata,
            ExternalSecretSpecJson = spec["externalSecretSpec"].Node as JsonObject ?? throw spec["externalSecretSpec"].Invalid("is required"),
            ExternalSecretSpec = ExternalSecretSpec.Parse(spec["externalSecretSpec"]),
            ExternalSecretName = RemoteRef.NullIfEmpty(spec["externalSecretName"].String) ?? metadata.Name,
            ExternalSecretLabels = spec["externalSecretMetadata"]["labels"].MapOrEmpty,
            ExternalSecretAnnotations = spec["externalSecretMetadata"]["annotations"].MapOrEmpty,
            NamespaceSelectors = selectors,
            Namespaces = spec["namespaces"].Strings,
            RefreshTime = spec["refreshTime"].String is { Length: > 0 } refresh ? GoDuration.Parse(refresh) : TimeSpan.FromMinutes(1),
            ProvisionedNamespaces = root["status"]["provisionedNamespaces"].Strings,
        };
    }

    /// <summary>Whether a namespace (by name and labels) is selected.</summary>
    public bool Selects(string ns, IReadOnlyDictionary<string, string> labels) =>
        Namespaces.Contains(ns) || NamespaceSelectors.Any(s => s.Matches(labels));
}
