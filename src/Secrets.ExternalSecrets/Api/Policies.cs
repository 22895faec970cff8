namespace Secrets.ExternalSecrets.Api;

// Enum member names are the exact spellings of external-secrets.io/v1 (eso-flux.md §1.2); "" in a manifest means the
// first member, which is ESO's documented default, because v2.9.0 dropped most CRD defaults (§1.10).

/// <summary><c>spec.target.creationPolicy</c>.</summary>
public enum CreationPolicy
{
    Owner,
    Orphan,
    Merge,
    None,
    CreateOrMerge,
}

/// <summary><c>spec.target.deletionPolicy</c>: what happens when the provider no longer returns data.</summary>
public enum DeletionPolicy
{
    Retain,
    Delete,
    Merge,
}

/// <summary><c>spec.refreshPolicy</c>; unset behaves like Periodic.</summary>
public enum RefreshPolicy
{
    Periodic,
    CreatedOnce,
    OnChange,
}

/// <summary><c>remoteRef.decodingStrategy</c>.</summary>
public enum DecodingStrategy
{
    None,
    Base64,
    Base64URL,
    Auto,
}

/// <summary><c>remoteRef.conversionStrategy</c>: how dataFrom keys with invalid characters are rewritten.</summary>
public enum ConversionStrategy
{
    Default,
    Unicode,
}

/// <summary><c>remoteRef.metadataPolicy</c>: Fetch returns tags/labels instead of the value.</summary>
public enum MetadataPolicy
{
    None,
    Fetch,
}

/// <summary><c>remoteRef.nullBytePolicy</c> (ESO ≥ 2.3).</summary>
public enum NullBytePolicy
{
    Ignore,
    Fail,
}

/// <summary><c>target.template.mergePolicy</c>.</summary>
public enum TemplateMergePolicy
{
    Replace,
    Merge,
}

/// <summary><c>templateFrom[].target</c>.</summary>
public enum TemplateTarget
{
    Data,
    Annotations,
    Labels,
}

/// <summary><c>templateFrom[].{configMap,secret}.items[].templateAs</c>.</summary>
public enum TemplateScope
{
    Values,
    KeysAndValues,
}

/// <summary><c>secretStoreRef.kind</c>; "" means SecretStore.</summary>
public enum StoreKind
{
    SecretStore,
    ClusterSecretStore,
}
