using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// The resource→kind table behind routing, discovery and list kinds (test-infra.md §2 pitfall 6). Built-ins are fixed;
/// storing a CustomResourceDefinition makes its served versions routable, deleting it removes them.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private readonly List<KubeResource> _resources = [.. KubeResource.BuiltIn];

    public IReadOnlyList<KubeResource> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources];
            }
        }
    }

    public KubeResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>By apiVersion and kind, as a manifest names its type.</summary>
    public KubeResource? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    /// <summary>Reads group, names, scope, served versions and the status subresource from a CRD (apiextensions.k8s.io/v1).</summary>
    public IReadOnlyList<KubeResource> Register(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw Invalid(crd, "spec", "Required value");
        var group = ObjectRules.Text(spec["group"]) ?? throw Invalid(crd, "spec.group", "Required value");
        var names = spec["names"] as JsonObject ?? throw Invalid(crd, "spec.names", "Required value");
        var plural = ObjectRules.Text(names["plural"]) ?? throw Invalid(crd, "spec.names.plural", "Required value");
        var kind = ObjectRules.Text(names["kind"]) ?? throw Invalid(crd, "spec.names.kind", "Required value");
        if (ObjectRules.Name(crd) != plural + "." + group)
        {
            throw Invalid(crd, "metadata.name", $"Invalid value: \"{ObjectRules.Name(crd)}\": must be spec.names.plural+\".\"+spec.group");
        }

        var namespaced = (ObjectRules.Text(spec["scope"]) ?? "Namespaced") == "Namespaced";
        var served = new List<KubeResource>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
            {
                continue;
            }

            served.Add(new KubeResource(group, ObjectRules.Text(version["name"]) ?? "v1", plural, kind, namespaced)
            {
                Singular = ObjectRules.Text(names["singular"]) ?? kind.ToLowerInvariant(),
                ListKind = ObjectRules.Text(names["listKind"]) ?? kind + "List",
                ShortNames = (names["shortNames"] as JsonArray ?? []).Select(n => ObjectRules.Text(n) ?? "").ToList(),
                HasStatus = version["subresources"]?["status"] is JsonObject,
                IsCustom = true,
            });
        }

        lock (_gate)
        {
            _resources.RemoveAll(r => r.IsCustom && r.Group == group && r.Plural == plural);
            _resources.AddRange(served);
        }

        return served;
    }

    public void Unregister(JsonObject crd)
    {
        var group = ObjectRules.Text(crd["spec"]?["group"]);
        var plural = ObjectRules.Text(crd["spec"]?["names"]?["plural"]);
        lock (_gate)
        {
            _resources.RemoveAll(r => r.IsCustom && r.Group == group && r.Plural == plural);
        }
    }

    private static KubeApiException Invalid(JsonObject crd, string field, string problem) =>
        KubeApiException.Invalid(KubeResource.CustomResourceDefinitions, ObjectRules.Name(crd), field, problem);
}
