using System.Globalization;
using System.Text.RegularExpressions;
using Secrets.Core;

namespace Secrets.Sops.Tree;

/// <summary>sops' tree paths <c>["a"]["b"][0]</c> for <c>--extract</c>, <c>set</c> and <c>unset</c> (sops.md §8; errors exit 91).</summary>
public static partial class TreePath
{
    public static List<object> Parse(string text)
    {
        var steps = new List<object>();
        var position = 0;
        foreach (Match match in Step().Matches(text))
        {
            if (match.Index != position)
            {
                break;
            }

            steps.Add(match.Groups[1].Success ? match.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal) : int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            position = match.Index + match.Length;
        }

        return position == text.Length && steps.Count > 0
            ? steps
            : throw Invalid($"\"{text}\" is not a tree path");
    }

    public static object? Get(TreeBranch root, IReadOnlyList<object> path)
    {
        object? current = root;
        foreach (var step in path)
        {
            current = (current, step) switch
            {
                (TreeBranch branch, string key) when branch.Find(key) is { } item => item.Value,
                (TreeSequence sequence, int index) when index >= 0 && index < sequence.Count => sequence[index],
                _ => throw Invalid($"component {Describe(step)} of the path was not found"),
            };
        }

        return current;
    }

    /// <summary>Sets a value, creating missing mappings; returns false when the value was already equal.</summary>
    public static bool Set(TreeBranch root, IReadOnlyList<object> path, object? value)
    {
        object current = root;
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            switch (current, path[i])
            {
                case (TreeBranch branch, string key):
                    if (last)
                    {
                        var existing = branch.Find(key);
                        if (existing is not null && Equals(existing.Value, value))
                        {
                            return false;
                        }

                        branch.Set(key, value);
                        return true;
                    }

                    if (branch.Find(key) is not { Value: TreeBranch or TreeSequence } child)
                    {
                        var created = path[i + 1] is int ? (object)new TreeSequence() : new TreeBranch();
                        branch.Set(key, created);
                        current = created;
                    }
                    else
                    {
                        current = child.Value!;
                    }

                    break;
                case (TreeSequence sequence, int index):
                    if (index > sequence.Count || index < 0)
                    {
                        throw Invalid($"index {index} is beyond the end of the list");
                    }

                    if (index == sequence.Count)
                    {
                        sequence.Add(last ? value : path[i + 1] is int ? new TreeSequence() : new TreeBranch());
                        if (last)
                        {
                            return true;
                        }
                    }
                    else if (last)
                    {
                        if (Equals(sequence[index], value))
                        {
                            return false;
                        }

                        sequence[index] = value;
                        return true;
                    }

                    current = sequence[index] ?? throw Invalid($"component {Describe(path[i])} is null");
                    break;
                default:
                    throw Invalid($"component {Describe(path[i])} does not match the tree");
            }
        }

        return true;
    }

    /// <summary>Removes the value; returns false when it did not exist.</summary>
    public static bool Unset(TreeBranch root, IReadOnlyList<object> path)
    {
        var parent = path.Count == 1 ? root : Get(root, path.Take(path.Count - 1).ToList());
        switch (parent, path[^1])
        {
            case (TreeBranch branch, string key):
                return branch.RemoveKey(key);
            case (TreeSequence sequence, int index) when index >= 0 && index < sequence.Count:
                sequence.RemoveAt(index);
                return true;
            default:
                return false;
        }
    }

    private static string Describe(object step) => step is string s ? $"[\"{s}\"]" : $"[{step}]";

    private static SecretsOperationException Invalid(string message) => new(ErrorKind.InvalidTreePath, message)
    {
        Hints = ["a tree path looks like '[\"key\"][\"nested\"][0]'"],
    };

    [GeneratedRegex(@"\[(?:""((?:[^""\\]|\\.)*)""|([0-9]+))\]", RegexOptions.CultureInvariant)]
    private static partial Regex Step();
}
