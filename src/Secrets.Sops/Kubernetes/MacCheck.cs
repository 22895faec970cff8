namespace Secrets.Sops.Kubernetes;

/// <summary>When a Kubernetes document's sops MAC is verified (eso-flux.md §3.3 step 3).</summary>
public enum MacCheck
{
    /// <summary>Flux's behaviour: kustomize transformers change documents, so the MAC is never checked.</summary>
    Never,

    /// <summary>
    /// Only for files written with <c>mac_only_encrypted</c>: their MAC covers encrypted values alone, which name prefixes,
    /// labels and namespaces do not touch (what <c>secrets sopssecret</c> writes).
    /// </summary>
    WhenMacOnlyEncrypted,

    /// <summary>Like plain <c>sops decrypt</c>.</summary>
    Always,
}
