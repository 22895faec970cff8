using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

public sealed partial class FakeKubeApiServer
{
    /// <summary>
    /// A parsed API path: <c>/api/v1/…</c> (core) or <c>/apis/{group}/{version}/…</c>, then
    /// <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}[/{proxy path}]]]</c>. No resource = a discovery path.
    /// </summary>
    private sealed record Route(string Path, string Group, string Version, string? Resource, string? Namespace, string? Name, string? Subresource, string ProxyPath)
    {
        public static Route Parse(HttpRequest request)
        {
            var path = request.Path.Value ?? "/";
            var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            string group;
            string version;
            int rest;
            switch (segments)
            {
                case ["api", var v, ..]:
                    (group, version, rest) = ("", v, 2);
                    break;
                case ["apis", var g, var v, ..]:
                    (group, version, rest) = (g, v, 3);
                    break;
                default:
                    return new Route(path, "", "", null, null, null, null, "");
            }

            var tail = segments[rest..];
            string? ns = null;
            if (tail is ["namespaces", var n, var next, ..] && !(tail.Length == 3 && next is "status" or "finalize"))
            {
                ns = n;
                tail = tail[2..];
            }

            return tail.Length == 0
                ? new Route(path, group, version, null, null, null, null, "")
                : new Route(path, group, version, tail[0], ns, tail.ElementAtOrDefault(1), tail.ElementAtOrDefault(2), string.Join('/', tail.Skip(3)));
        }

        public KubeRequest ToRequest(HttpRequest request)
        {
            var watch = request.Query["watch"].ToString() is "true" or "1";
            var verb = (request.Method, Name, Subresource) switch
            {
                (_, _, "proxy") => request.Method == "GET" ? "get" : "create",
                ("GET", null, _) => watch ? "watch" : "list",
                ("GET", _, _) => "get",
                ("POST", null, _) => "create",
                ("PUT", not null, _) => "update",
                ("PATCH", not null, _) => "patch",
                ("DELETE", null, _) => "deletecollection",
                ("DELETE", _, _) => "delete",
                _ => request.Method.ToLowerInvariant(),
            };
            return new KubeRequest(request.Method, Path, verb, Group, Version, Resource ?? "", Subresource, Namespace, Name)
            {
                LabelSelector = request.Query["labelSelector"].ToString() is { Length: > 0 } selector ? selector : null,
            };
        }
    }
}
