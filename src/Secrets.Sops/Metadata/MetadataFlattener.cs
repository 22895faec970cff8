using System.Globalization;
using System.Text.RegularExpressions;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Metadata;

/// <summary>
/// sops' stores/flatten.go: the metadata tree as flat <c>key=value</c> pairs for dotenv (prefix <c>sops_</c>) and INI
/// (no prefix), with <c>__map_</c> and <c>__list_N</c> separators (sops.md §6.3, §6.4).
/// </summary>
public static partial class MetadataFlattener
{
    private const string MapSeparator = "__map_";
    private const string ListSeparator = "__list_";

    public static List<(string Key, string Value)> Flatten(TreeBranch metadata, string prefix)
    {
        var result = new List<(string, string)>();
        foreach (var item in metadata)
        {
            FlattenValue(prefix + (string)item.Key, item.Value, result);
        }

        return result;
    }

    public static TreeBranch Unflatten(IEnumerable<(string Key, string Value)> pairs)
    {
        var root = new TreeBranch();
        foreach (var (key, value) in pairs)
        {
            var tokens = Separator().Split(key);
            object container = root;
            var name = tokens[0];
            for (var i = 1; i < tokens.Length; i += 2)
            {
                var next = tokens[i].StartsWith(MapSeparator, StringComparison.Ordinal) ? (object)new TreeBranch() : new TreeSequence();
                var child = GetOrAdd(container, name, next);
                container = child;
                name = tokens[i].StartsWith(ListSeparator, StringComparison.Ordinal) ? tokens[i][ListSeparator.Length..] : tokens[i + 1];
                if (tokens[i].StartsWith(ListSeparator, StringComparison.Ordinal) && tokens[i + 1].Length > 0)
                {
                    throw new InvalidFileException($"malformed flattened sops metadata key \"{key}\"");
                }
            }

            Assign(container, name, value);
        }

        return root;
    }

    private static void FlattenValue(string key, object? value, List<(string, string)> result)
    {
        switch (value)
        {
            case TreeBranch branch:
                foreach (var item in branch)
                {
                    FlattenValue(key + MapSeparator + (string)item.Key, item.Value, result);
                }

                break;
            case TreeSequence sequence:
                for (var i = 0; i < sequence.Count; i++)
                {
                    FlattenValue(key + ListSeparator + i.ToString(CultureInfo.InvariantCulture), sequence[i], result);
                }

                break;
            case bool b:
                result.Add((key, b ? "true" : "false"));
                break;
            case null:
                break;
            default:
                result.Add((key, Crypto.PlainValue.ToText(value)));
                break;
        }
    }

    private static object GetOrAdd(object container, string name, object next)
    {
        if (container is TreeBranch branch)
        {
            if (branch.Find(name) is { Value: { } existing })
            {
                return existing;
            }

            branch.Add(name, next);
            return next;
        }

        var sequence = (TreeSequence)container;
        var index = Index(name);
        while (sequence.Count <= index)
        {
            sequence.Add(null);
        }

        return sequence[index] ??= next;
    }

    private static void Assign(object container, string name, string value)
    {
        if (container is TreeBranch branch)
        {
            branch.Set(name, value);
            return;
        }

        var sequence = (TreeSequence)container;
        var index = Index(name);
        while (sequence.Count <= index)
        {
            sequence.Add(null);
        }

        sequence[index] = value;
    }

    private static int Index(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < 10_000
            ? index
            : throw new InvalidFileException($"malformed list index \"{text}\" in flattened sops metadata");

    [GeneratedRegex(@"(__map_|__list_[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();
}
