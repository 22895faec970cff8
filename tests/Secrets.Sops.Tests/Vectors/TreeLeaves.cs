using System.Text;
using Secrets.Sops.Crypto;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Tests.Vectors;

/// <summary>Every non-null, non-comment leaf with its AAD and plaintext bytes, in tree order (the MAC's input).</summary>
internal static class TreeLeaves
{
    public static List<(string Aad, string Bytes)> Collect(IEnumerable<TreeBranch> documents)
    {
        var leaves = new List<(string, string)>();
        foreach (var document in documents)
        {
            Walk(document, [], leaves);
        }

        return leaves;
    }

    private static void Walk(object? value, List<string> path, List<(string, string)> leaves)
    {
        switch (value)
        {
            case null or Comment:
                return;
            case TreeBranch branch:
                foreach (var item in branch.Where(i => i.Key is string))
                {
                    path.Add((string)item.Key);
                    Walk(item.Value, path, leaves);
                    path.RemoveAt(path.Count - 1);
                }

                return;
            case TreeSequence sequence:
                foreach (var element in sequence)
                {
                    Walk(element, path, leaves);
                }

                return;
            default:
                leaves.Add((TreeWalker.Aad(path), Encoding.UTF8.GetString(PlainValue.ToBytes(value))));
                return;
        }
    }
}
