namespace Secrets.ExternalSecrets.Api;

/// <summary><c>spec.target.template</c> (eso-flux.md §1.2, §1.9).</summary>
public sealed record SecretTemplate
{
    /// <summary>Secret type; null keeps the existing one (Opaque on create).</summary>
    public string? Type { get; init; }

    /// <summary>Only "v2" exists since ESO v0.16.</summary>
    public string EngineVersion { get; init; } = "v2";

    public TemplateMergePolicy MergePolicy { get; init; }

    /// <summary>Null when <c>metadata.labels</c> is absent (then nothing is set); {} sets none.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<string> Finalizers { get; init; } = [];

    /// <summary>Key → template text; highest precedence.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<TemplateFrom> TemplateFrom { get; init; } = [];

    internal static SecretTemplate? Parse(ManifestField field)
    {
        if (!field.Exists)
        {
            return null;
        }

        var engine = field["engineVersion"].String is { Length: > 0 } version ? version : "v2";
        if (engine != "v2")
        {
            throw field["engineVersion"].Invalid($"is \"{engine}\"; only v2 is supported (v1 was removed in ESO v0.16)");
        }

        return new SecretTemplate
        {
            Type = RemoteRef.NullIfEmpty(field["type"].String),
            EngineVersion = engine,
            MergePolicy = field["mergePolicy"].Enum(TemplateMergePolicy.Replace),
            Labels = field["metadata"]["labels"].Map,
            Annotations = field["metadata"]["annotations"].Map,
            Finalizers = field["metadata"]["finalizers"].Strings,
            Data = field["data"].MapOrEmpty,
            TemplateFrom = [.. field["templateFrom"].Items.Select(Api.TemplateFrom.Parse)],
        };
    }
}

/// <summary>One <c>templateFrom[]</c> entry: a ConfigMap, a Secret or a literal template.</summary>
public sealed record TemplateFrom
{
    public TemplateSource? ConfigMap { get; init; }

    public TemplateSource? Secret { get; init; }

    /// <summary>Rendered as KeysAndValues (a YAML map).</summary>
    public string? Literal { get; init; }

    public TemplateTarget Target { get; init; }

    internal static TemplateFrom Parse(ManifestField field) => new()
    {
        ConfigMap = TemplateSource.Parse(field["configMap"]),
        Secret = TemplateSource.Parse(field["secret"]),
        Literal = field["literal"].String,
        Target = field["target"].Enum(TemplateTarget.Data),
    };
}

/// <summary>A ConfigMap or Secret holding templates, in the ExternalSecret's namespace.</summary>
public sealed record TemplateSource(string Name, IReadOnlyList<TemplateItem> Items)
{
    internal static TemplateSource? Parse(ManifestField field) => field.Exists
        ? new TemplateSource(field["name"].Required, [.. field["items"].Items.Select(i => new TemplateItem(i["key"].Required, i["templateAs"].Enum(TemplateScope.Values)))])
        : null;
}

public sealed record TemplateItem(string Key, TemplateScope TemplateAs);
