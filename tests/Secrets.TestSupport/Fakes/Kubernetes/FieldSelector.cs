using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// A parsed <c>fieldSelector</c> (<c>=</c>, <c>==</c>, <c>!=</c>, comma = and). Like the real server only
/// <c>metadata.name</c>, <c>metadata.namespace</c> and a few per-resource fields are supported; others are a 400.
/// </summary>
internal sealed class FieldSelector
{
    private static readonly string[] CommonFields = ["metadata.name", "metadata.namespace"];

    private readonly List<(string Path, string Value, bool Negate)> _terms = [];

    public static readonly FieldSelector Everything = new();

    /// <summary>The name this selector pins (<c>metadata.name=x</c>), used by single-object watches.</summary>
    public string? Name => _terms.Find(t => t.Path == "metadata.name" && !t.Negate).Value;

    public static FieldSelector Parse(string? text, KubeResource resource)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, negate) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : part.Contains("==", StringComparison.Ordinal) ? ("==", false)
                : ("=", false);
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw KubeApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            var path = part[..at].Trim();
            if (!Array.Exists(CommonFields, f => f == path) && !ExtraFields(resource).Contains(path))
            {
                throw KubeApiException.BadRequest($"field label not supported: {path}");
            }

            selector._terms.Add((path, part[(at + op.Length)..].Trim(), negate));
        }

        return selector;
    }

    public bool Matches(JsonObject obj) =>
        _terms.TrueForAll(t => (Lookup(obj, t.Path) == t.Value) != t.Negate);

    private static string[] ExtraFields(KubeResource resource) => resource.Plural switch
    {
        "secrets" => ["type"],
        "events" => ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "reason", "type", "regarding.name", "regarding.kind"],
        "namespaces" => ["status.phase"],
        _ => [],
    };

    private static string Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        // Unset fields compare as "" like the real field-selector machinery.
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
    }
}
