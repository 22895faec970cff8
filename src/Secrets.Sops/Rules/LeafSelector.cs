using System.Text.RegularExpressions;

namespace Secrets.Sops.Rules;

/// <summary>sops' shouldBeEncrypted: each later rule overrides, every path element is checked (sops.md §1.4).</summary>
public sealed class LeafSelector
{
    private readonly EncryptionRules _rules;
    private readonly Regex? _unencryptedRegex;
    private readonly Regex? _encryptedRegex;
    private readonly Regex? _unencryptedCommentRegex;
    private readonly Regex? _encryptedCommentRegex;

    internal LeafSelector(EncryptionRules rules)
    {
        _rules = rules;
        _unencryptedRegex = Compile(rules.UnencryptedRegex);
        _encryptedRegex = Compile(rules.EncryptedRegex);
        _unencryptedCommentRegex = Compile(rules.UnencryptedCommentRegex);
        _encryptedCommentRegex = Compile(rules.EncryptedCommentRegex);
    }

    /// <summary>Whether the leaf at <paramref name="path"/> is encrypted, given the comments active above it.</summary>
    public bool ShouldEncrypt(IReadOnlyList<string> path, IEnumerable<string> activeComments)
    {
        var encrypt = true;
        if (!string.IsNullOrEmpty(_rules.UnencryptedSuffix) && path.Any(p => p.EndsWith(_rules.UnencryptedSuffix, StringComparison.Ordinal)))
        {
            encrypt = false;
        }

        if (!string.IsNullOrEmpty(_rules.EncryptedSuffix))
        {
            encrypt = path.Any(p => p.EndsWith(_rules.EncryptedSuffix, StringComparison.Ordinal));
        }

        if (_unencryptedRegex is not null && path.Any(_unencryptedRegex.IsMatch))
        {
            encrypt = false;
        }

        if (_encryptedRegex is not null)
        {
            encrypt = path.Any(_encryptedRegex.IsMatch);
        }

        if (_unencryptedCommentRegex is not null && activeComments.Any(_unencryptedCommentRegex.IsMatch))
        {
            encrypt = false;
        }

        if (_encryptedCommentRegex is not null)
        {
            encrypt = activeComments.Any(_encryptedCommentRegex.IsMatch);
        }

        return encrypt;
    }

    /// <summary>A marker comment that selects what follows stays readable itself.</summary>
    public bool IsMarkerComment(string text) =>
        (_encryptedCommentRegex?.IsMatch(text) ?? false) || (_unencryptedCommentRegex?.IsMatch(text) ?? false);

    private static Regex? Compile(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new Regex(pattern, RegexOptions.CultureInvariant);
}
