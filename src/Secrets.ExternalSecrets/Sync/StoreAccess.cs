using System.Text.RegularExpressions;
using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// ClusterSecretStore <c>spec.conditions</c> (client_manager.go shouldProcessSecret, eso-flux.md §1.4): no conditions ⇒
/// usable everywhere; otherwise any entry with any matching selector allows. <c>namespaces</c> is a
/// <c>kubernetes.io/metadata.name</c> match; regexes are unanchored Go regexps.
/// </summary>
public static class StoreAccess
{
    public static bool IsAllowed(SecretStore store, string ns, IReadOnlyDictionary<string, string> namespaceLabels)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(namespaceLabels);
        if (store.Kind != StoreKind.ClusterSecretStore || store.Conditions.Count == 0)
        {
            return true;
        }

        return store.Conditions.Any(c =>
            (c.NamespaceSelector?.Matches(namespaceLabels) ?? false)
            || c.Namespaces.Contains(ns)
            || c.NamespaceRegexes.Any(r => Regex.IsMatch(ns, r, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))));
    }

    public static string DeniedMessage(string store, string ns) =>
        $"using cluster store \"{store}\" is not allowed from namespace \"{ns}\": denied by spec.condition";
}
