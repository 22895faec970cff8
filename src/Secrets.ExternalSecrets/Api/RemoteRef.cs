namespace Secrets.ExternalSecrets.Api;

/// <summary><c>data[].remoteRef</c> and <c>dataFrom[].extract</c> (eso-flux.md §1.2).</summary>
public sealed record RemoteRef
{
    public required string Key { get; init; }

    /// <summary>A gjson path into the value (§2.1); null means the whole value.</summary>
    public string? Property { get; init; }

    public string? Version { get; init; }

    public DecodingStrategy DecodingStrategy { get; init; }

    public ConversionStrategy ConversionStrategy { get; init; }

    public MetadataPolicy MetadataPolicy { get; init; }

    public NullBytePolicy NullBytePolicy { get; init; }

    internal static RemoteRef Parse(ManifestField field) => new()
    {
        Key = field["key"].Required,
        Property = NullIfEmpty(field["property"].String),
        Version = NullIfEmpty(field["version"].String),
        DecodingStrategy = field["decodingStrategy"].Enum(DecodingStrategy.None),
        ConversionStrategy = field["conversionStrategy"].Enum(ConversionStrategy.Default),
        MetadataPolicy = field["metadataPolicy"].Enum(MetadataPolicy.None),
        NullBytePolicy = field["nullBytePolicy"].Enum(NullBytePolicy.Ignore),
    };

    internal static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary><c>dataFrom[].find</c>: every secret whose name matches a regexp and/or carries all tags.</summary>
public sealed record FindRef
{
    public string? Path { get; init; }

    /// <summary>Go RE2 regexp, unanchored (eso-flux.md §2.2).</summary>
    public string? NameRegexp { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public ConversionStrategy ConversionStrategy { get; init; }

    public DecodingStrategy DecodingStrategy { get; init; }

    public NullBytePolicy NullBytePolicy { get; init; }

    internal static FindRef Parse(ManifestField field) => new()
    {
        Path = RemoteRef.NullIfEmpty(field["path"].String),
        NameRegexp = RemoteRef.NullIfEmpty(field["name"]["regexp"].String),
        Tags = field["tags"].MapOrEmpty,
        ConversionStrategy = field["conversionStrategy"].Enum(ConversionStrategy.Default),
        DecodingStrategy = field["decodingStrategy"].Enum(DecodingStrategy.None),
        NullBytePolicy = field["nullBytePolicy"].Enum(NullBytePolicy.Ignore),
    };
}

/// <summary>A store reference: <c>secretStoreRef</c> or <c>sourceRef.storeRef</c>; kind "" means SecretStore.</summary>
public sealed record StoreRef(string Name, StoreKind Kind)
{
    internal static StoreRef? Parse(ManifestField field) =>
        field.Exists ? new StoreRef(field["name"].Required, field["kind"].Enum(StoreKind.SecretStore)) : null;
}

/// <summary><c>sourceRef.generatorRef</c>: parsed so manifests are accepted; generators are not implemented.</summary>
public sealed record GeneratorRef(string ApiVersion, string Kind, string Name)
{
    internal static GeneratorRef? Parse(ManifestField field) => field.Exists
        ? new GeneratorRef(field["apiVersion"].String ?? "generators.external-secrets.io/v1alpha1", field["kind"].Required, field["name"].Required)
        : null;
}

/// <summary><c>data[]</c>: one Secret key from one remote value.</summary>
public sealed record ExternalSecretData
{
    public required string SecretKey { get; init; }

    public required RemoteRef RemoteRef { get; init; }

    /// <summary>Per-entry store override (<c>sourceRef.storeRef</c>).</summary>
    public StoreRef? StoreRef { get; init; }

    internal static ExternalSecretData Parse(ManifestField field) => new()
    {
        SecretKey = field["secretKey"].Required,
        RemoteRef = RemoteRef.Parse(field["remoteRef"]),
        StoreRef = StoreRef.Parse(field["sourceRef"]["storeRef"]),
    };
}

/// <summary><c>dataFrom[]</c>: exactly one of extract, find or a generator, plus rewrites applied in order.</summary>
public sealed record ExternalSecretDataFrom
{
    public RemoteRef? Extract { get; init; }

    public FindRef? Find { get; init; }

    public StoreRef? StoreRef { get; init; }

    public GeneratorRef? GeneratorRef { get; init; }

    public IReadOnlyList<Rewrite> Rewrite { get; init; } = [];

    internal static ExternalSecretDataFrom Parse(ManifestField field)
    {
        var entry = new ExternalSecretDataFrom
        {
            Extract = field["extract"].Exists ? RemoteRef.Parse(field["extract"]) : null,
            Find = field["find"].Exists ? FindRef.Parse(field["find"]) : null,
            StoreRef = StoreRef.Parse(field["sourceRef"]["storeRef"]),
            GeneratorRef = GeneratorRef.Parse(field["sourceRef"]["generatorRef"]),
            Rewrite = [.. field["rewrite"].Items.Select(Api.Rewrite.Parse)],
        };

        // externalsecret_validator.go: exactly one of extract / find / generatorRef.
        var sources = (entry.Extract is null ? 0 : 1) + (entry.Find is null ? 0 : 1) + (entry.GeneratorRef is null ? 0 : 1);
        return sources == 1 ? entry : throw field.Invalid("must set exactly one of extract, find or sourceRef.generatorRef");
    }
}

/// <summary>One <c>rewrite[]</c> step: a regexp replacement, a key template, or a merge.</summary>
public sealed record Rewrite
{
    public string? RegexpSource { get; init; }

    /// <summary>Replacement with Go <c>${1}</c> group references.</summary>
    public string? RegexpTarget { get; init; }

    /// <summary>A template rendered with <c>.value</c> = the key.</summary>
    public string? TransformTemplate { get; init; }

    /// <summary>True for <c>rewrite.merge</c>, which is parsed but not supported (the sync reports it).</summary>
    public bool IsMerge { get; init; }

    internal static Rewrite Parse(ManifestField field)
    {
        var rewrite = new Rewrite
        {
            RegexpSource = field["regexp"].Exists ? field["regexp"]["source"].Required : null,
            RegexpTarget = field["regexp"].Exists ? field["regexp"]["target"].String ?? "" : null,
            TransformTemplate = field["transform"].Exists ? field["transform"]["template"].Required : null,
            IsMerge = field["merge"].Exists,
        };
        var kinds = (rewrite.RegexpSource is null ? 0 : 1) + (rewrite.TransformTemplate is null ? 0 : 1) + (rewrite.IsMerge ? 1 : 0);
        return kinds == 1 ? rewrite : throw field.Invalid("must set exactly one of regexp, transform or merge");
    }
}
