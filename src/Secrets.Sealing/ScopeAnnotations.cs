using System.Text;

namespace Secrets.Sealing;

/// <summary>The scope annotations and the OAEP label they select (sealed-secrets.md §1.3, §2.3).</summary>
public static class ScopeAnnotations
{
    public const string NamespaceWide = "sealedsecrets.bitnami.com/namespace-wide";
    public const string ClusterWide = "sealedsecrets.bitnami.com/cluster-wide";

    /// <summary>Reads the scope from annotations: only the exact value <c>"true"</c> counts, and cluster-wide wins.</summary>
    public static SealedSecretScope FromAnnotations(IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        if (annotations.TryGetValue(ClusterWide, out var cluster) && cluster == "true")
        {
            return SealedSecretScope.ClusterWide;
        }

        return annotations.TryGetValue(NamespaceWide, out var ns) && ns == "true"
            ? SealedSecretScope.NamespaceWide
            : SealedSecretScope.Strict;
    }

    /// <summary>
    /// Sets the annotations for <paramref name="scope"/> like kubeseal's UpdateScopeAnnotations: both scope
    /// annotations are removed and the one for the scope (if any) is set to <c>"true"</c>.
    /// </summary>
    public static void Apply(IDictionary<string, string> annotations, SealedSecretScope scope)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        annotations.Remove(NamespaceWide);
        annotations.Remove(ClusterWide);
        switch (scope)
        {
            case SealedSecretScope.NamespaceWide:
                annotations[NamespaceWide] = "true";
                break;
            case SealedSecretScope.ClusterWide:
                annotations[ClusterWide] = "true";
                break;
            default:
                break;
        }
    }

    /// <summary>The OAEP label bytes for a scope (strict <c>ns/name</c> with a slash, despite docs/developer/crypto.md).</summary>
    public static byte[] Label(SealedSecretScope scope, string? @namespace, string? name) => scope switch
    {
        SealedSecretScope.ClusterWide => [],
        SealedSecretScope.NamespaceWide => Encoding.UTF8.GetBytes(@namespace ?? ""),
        _ => Encoding.UTF8.GetBytes($"{@namespace}/{name}"),
    };

    /// <summary>The name used on the command line and in docs: strict, namespace-wide, cluster-wide.</summary>
    public static string ToFlagValue(this SealedSecretScope scope) => scope switch
    {
        SealedSecretScope.NamespaceWide => "namespace-wide",
        SealedSecretScope.ClusterWide => "cluster-wide",
        _ => "strict",
    };

    /// <summary>Parses a <c>--scope</c> value; false for anything else.</summary>
    public static bool TryParse(string? value, out SealedSecretScope scope)
    {
        switch (value)
        {
            case "strict":
                scope = SealedSecretScope.Strict;
                return true;
            case "namespace-wide":
                scope = SealedSecretScope.NamespaceWide;
                return true;
            case "cluster-wide":
                scope = SealedSecretScope.ClusterWide;
                return true;
            default:
                scope = SealedSecretScope.Strict;
                return false;
        }
    }
}
