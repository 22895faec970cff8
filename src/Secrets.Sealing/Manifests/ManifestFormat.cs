namespace Secrets.Sealing.Manifests;

/// <summary>How kubeseal writes objects (sealed-secrets.md §4.3): JSON by default, YAML with <c>-o yaml</c>.</summary>
public enum ManifestFormat
{
    Json,
    Yaml,
}
