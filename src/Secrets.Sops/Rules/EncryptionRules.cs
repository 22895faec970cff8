using System.Text.RegularExpressions;
using Secrets.Core;

namespace Secrets.Sops.Rules;

/// <summary>
/// Which leaves are encrypted (sops.md §1.4). At most one of the six selectors may be set; with none,
/// <c>unencrypted_suffix: _unencrypted</c> applies. <see cref="MacOnlyEncrypted"/> limits the MAC to encrypted values.
/// </summary>
public sealed record EncryptionRules
{
    public const string DefaultUnencryptedSuffix = "_unencrypted";

    public string? UnencryptedSuffix { get; init; }

    public string? EncryptedSuffix { get; init; }

    public string? UnencryptedRegex { get; init; }

    public string? EncryptedRegex { get; init; }

    public string? UnencryptedCommentRegex { get; init; }

    public string? EncryptedCommentRegex { get; init; }

    public bool MacOnlyEncrypted { get; init; }

    /// <summary>The default rule set: <c>unencrypted_suffix: _unencrypted</c>.</summary>
    public static EncryptionRules Default { get; } = new() { UnencryptedSuffix = DefaultUnencryptedSuffix };

    /// <summary>The selectors that are set, by their metadata names, in sops' order.</summary>
    /// <remarks>
    /// A loop rather than Where/Select: Select on a LINQ iterator is a generic virtual method, which Native AOT resolves
    /// through its type loader on first use, a tenth of a millisecond of every small decrypt (issue #3 item 7).
    /// </remarks>
    public IReadOnlyList<(string Name, string Value)> Selectors()
    {
        (string Name, string? Value)[] all =
        [
            ("unencrypted_suffix", UnencryptedSuffix), ("encrypted_suffix", EncryptedSuffix),
            ("unencrypted_regex", UnencryptedRegex), ("encrypted_regex", EncryptedRegex),
            ("unencrypted_comment_regex", UnencryptedCommentRegex), ("encrypted_comment_regex", EncryptedCommentRegex),
        ];
        var set = new List<(string Name, string Value)>();
        foreach (var (name, value) in all)
        {
            if (!string.IsNullOrEmpty(value))
            {
                set.Add((name, value));
            }
        }

        return set;
    }

    /// <summary>Fails like sops when more than one selector is set; fills in the default when none is.</summary>
    public EncryptionRules Validated()
    {
        var set = Selectors().Select(s => s.Name).ToList();
        if (set.Count > 1)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"cannot use more than one of {string.Join(", ", set)}");
        }

        foreach (var (name, value) in Selectors().Where(s => s.Name.EndsWith("regex", StringComparison.Ordinal)))
        {
            try
            {
                _ = new Regex(value, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                throw new SecretsOperationException(ErrorKind.Usage, $"{name} \"{value}\" is not a valid regular expression", ex);
            }
        }

        return set.Count == 0 ? this with { UnencryptedSuffix = DefaultUnencryptedSuffix } : this;
    }

    /// <summary>A compiled matcher for the tree walk.</summary>
    public LeafSelector Selector() => new(this);
}
