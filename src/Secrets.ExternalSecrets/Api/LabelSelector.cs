namespace Secrets.ExternalSecrets.Api;

/// <summary>metav1.LabelSelector: matchLabels AND every matchExpression (In, NotIn, Exists, DoesNotExist).</summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<LabelRequirement> MatchExpressions { get; init; } = [];

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return MatchLabels.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value)
            && MatchExpressions.All(e => e.Matches(labels));
    }

    internal static LabelSelector? Parse(ManifestField field) => field.Exists
        ? new LabelSelector
        {
            MatchLabels = field["matchLabels"].MapOrEmpty,
            MatchExpressions = [.. field["matchExpressions"].Items.Select(e => new LabelRequirement(e["key"].Required, e["operator"].Required, e["values"].Strings))],
        }
        : null;
}

public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "In" => has && Values.Contains(value!),
            "NotIn" => !has || !Values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => false,
        };
    }
}
