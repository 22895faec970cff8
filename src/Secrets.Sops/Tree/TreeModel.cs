namespace Secrets.Sops.Tree;

/// <summary>
/// A comment kept in the tree as an item of its own (sops.md §1.2: comments are encrypted with the path of the
/// enclosing mapping). <see cref="Text"/> is the text after <c>#</c>/<c>;</c>, leading space kept.
/// </summary>
public sealed record Comment(string Text);

/// <summary>
/// A string value whose bytes are not valid UTF-8. sops keeps a binary file as one Go string (type <c>str</c>, sops.md
/// §6.2) and Go strings hold any bytes, so the bytes must survive encrypt and decrypt unchanged; decoding them to a
/// .NET string would turn every invalid sequence into U+FFFD.
/// </summary>
public sealed record RawString(byte[] Bytes)
{
    /// <summary>The lossy text, as Go's JSON encoder writes such a string.</summary>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Bytes);
}

/// <summary>One item of a mapping: a string key (or a <see cref="Comment"/> in key position) and its value.</summary>
public sealed class TreeItem(object key, object? value)
{
    /// <summary>A <see cref="string"/> key or a <see cref="Comment"/>.</summary>
    public object Key { get; set; } = key;

    /// <summary>
    /// A scalar (<see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
    /// <see cref="DateTimeOffset"/>, <see cref="byte"/>[]), a <see cref="TreeBranch"/>, a <see cref="TreeSequence"/>
    /// or null; null for a comment item.
    /// </summary>
    public object? Value { get; set; } = value;
}

/// <summary>An ordered mapping: key order is file order and the MAC depends on it (sops.md §11).</summary>
#pragma warning disable CA1710 // a branch is what sops calls it
public sealed class TreeBranch : List<TreeItem>
#pragma warning restore CA1710
{
    public TreeBranch()
    {
    }

    public TreeBranch(IEnumerable<TreeItem> items)
        : base(items)
    {
    }

    /// <summary>The value of the first item with <paramref name="key"/>, or null.</summary>
    public object? this[string key] => Find(key)?.Value;

    public TreeItem? Find(string key) => this.FirstOrDefault(item => item.Key is string k && string.Equals(k, key, StringComparison.Ordinal));

    public void Add(string key, object? value) => Add(new TreeItem(key, value));

    /// <summary>Replaces the value of <paramref name="key"/> or appends the key.</summary>
    public void Set(string key, object? value)
    {
        if (Find(key) is { } item)
        {
            item.Value = value;
        }
        else
        {
            Add(key, value);
        }
    }

    public bool RemoveKey(string key) => RemoveAll(item => item.Key is string k && string.Equals(k, key, StringComparison.Ordinal)) > 0;
}

/// <summary>A sequence; its elements share the path of the key that owns it (no index in the AAD, sops.md §1.2).</summary>
#pragma warning disable CA1710
public sealed class TreeSequence : List<object?>
#pragma warning restore CA1710
{
    public TreeSequence()
    {
    }

    public TreeSequence(IEnumerable<object?> items)
        : base(items)
    {
    }
}
