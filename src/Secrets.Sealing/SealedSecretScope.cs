namespace Secrets.Sealing;

/// <summary>
/// Which names a sealed value is bound to (sealed-secrets.md §1.3): the OAEP label is <c>"ns/name"</c> for
/// <see cref="Strict"/>, <c>"ns"</c> for <see cref="NamespaceWide"/> and empty for <see cref="ClusterWide"/>.
/// </summary>
public enum SealedSecretScope
{
    /// <summary>Bound to one namespace and name (the default; no annotation).</summary>
    Strict,

    /// <summary>Bound to a namespace; the SealedSecret may be renamed (<c>sealedsecrets.bitnami.com/namespace-wide</c>).</summary>
    NamespaceWide,

    /// <summary>Not bound at all (<c>sealedsecrets.bitnami.com/cluster-wide</c>).</summary>
    ClusterWide,
}
