using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// A parsed <c>labelSelector</c>: equality (<c>=</c>, <c>==</c>, <c>!=</c>) and set-based (<c>in</c>, <c>notin</c>,
/// <c>k</c>, <c>!k</c>) requirements, all of which must hold.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    public static readonly LabelSelector Everything = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.TrueForAll(r => r(labels));
    }

    private static Func<JsonObject?, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole);
        }

        var set = SetRequirement().Match(part);
        if (set.Success)
        {
            var key = set.Groups[1].Value;
            var values = set.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            var negate = set.Groups[2].Value == "notin";
            return labels => Lookup(labels, key) is { } v ? values.Contains(v) != negate : negate;
        }

        if (part.StartsWith('!'))
        {
            var key = CheckKey(part[1..].Trim(), whole);
            return labels => Lookup(labels, key) is null;
        }

        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = CheckKey(part[..at].Trim(), whole);
                var value = part[(at + op.Length)..].Trim();
                return labels => (Lookup(labels, key) == value) != negate;
            }
        }

        var only = CheckKey(part, whole);
        return labels => Lookup(labels, only) is not null;
    }

    private static string? Lookup(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string CheckKey(string key, string whole) =>
        KeyPattern().IsMatch(key) ? key : throw Bad(whole);

    private static KubeApiException Bad(string whole) =>
        KubeApiException.BadRequest($"unable to parse requirement: found '{whole}', expected a valid label selector");

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^([A-Za-z0-9./_-]+)\s+(in|notin)\s*\(([^()]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();
}
