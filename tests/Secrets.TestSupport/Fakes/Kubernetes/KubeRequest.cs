namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// One request as the fake understood it, in RBAC terms (verb, group, resource, subresource, namespace, name): what the
/// request log records and what fault predicates match on.
/// </summary>
public sealed record KubeRequest(
    string Method,
    string Path,
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name)
{
    /// <summary>The <c>labelSelector</c> query parameter of a list or watch, if any.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>The HTTP status the fake answered with (0 while the request is in flight, e.g. a running watch).</summary>
    public int StatusCode { get; internal set; }

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(Subresource is null ? "" : "/" + Subresource)} ns={Namespace ?? "-"} name={Name ?? "-"} → {StatusCode}";
}
