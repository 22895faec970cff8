namespace Secrets.Sops.Tree;

/// <summary>Deep copies, so an expanded YAML alias or a document kept for comparison never shares nodes.</summary>
public static class TreeCopy
{
    public static object? Value(object? value) => value switch
    {
        TreeBranch branch => Branch(branch),
        TreeSequence sequence => new TreeSequence(sequence.Select(Value)),
        byte[] bytes => bytes.ToArray(),
        _ => value,
    };

    public static TreeBranch Branch(TreeBranch branch) => new(branch.Select(item => new TreeItem(item.Key, Value(item.Value))));

    public static List<TreeBranch> Documents(IEnumerable<TreeBranch> documents) => [.. documents.Select(Branch)];
}
