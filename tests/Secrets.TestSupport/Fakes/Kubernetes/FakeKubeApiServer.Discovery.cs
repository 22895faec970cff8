using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>Legacy discovery (<c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/{g}[/{v}]</c>) — enough for kubectl.</summary>
public sealed partial class FakeKubeApiServer
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private JsonObject Discover(Route route)
    {
        var resources = _catalog.All;
        var trimmed = route.Path.TrimEnd('/');
        if (trimmed == "/version")
        {
            return new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "32",
                ["gitVersion"] = "v1.32.0-secrets-fake",
                ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z",
                ["goVersion"] = "go1.23.0",
                ["compiler"] = "gc",
                ["platform"] = "linux/amd64",
            };
        }

        if (trimmed == "/api")
        {
            return new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = BaseAddress.Authority }),
            };
        }

        if (trimmed == "/apis")
        {
            var groups = resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group).Select(g => (JsonNode)Group(g.Key, g)).ToArray();
            return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(groups) };
        }

        var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["apis", var groupName])
        {
            var members = resources.Where(r => r.Group == groupName).ToList();
            return members.Count > 0 ? Group(groupName, members) : throw NotServed();
        }

        var served = resources.Where(r => r.Group == route.Group && r.Version == route.Version).ToList();
        if (route.Version.Length == 0 || served.Count == 0)
        {
            throw NotServed();
        }

        var list = new JsonArray();
        foreach (var r in served)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(AllVerbs.Select(v => (JsonNode)v).ToArray()),
                ["shortNames"] = new JsonArray(r.ShortNames.Select(v => (JsonNode)v).ToArray()),
            });
            if (r.HasStatus)
            {
                list.Add(new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }

            if (r == KubeResource.Services)
            {
                list.Add(new JsonObject { ["name"] = "services/proxy", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "ServiceProxyOptions", ["verbs"] = new JsonArray("create", "delete", "get", "patch", "update") });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = served[0].ApiVersion, ["resources"] = list };
    }

    private static JsonObject Group(string name, IEnumerable<KubeResource> members)
    {
        var versions = members.Select(r => r.Version).Distinct().Select(v => (JsonNode)new JsonObject { ["groupVersion"] = name + "/" + v, ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    private static KubeApiException NotServed() => new(404, "NotFound", "the server could not find the requested resource");
}
