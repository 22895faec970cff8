using System.Text.RegularExpressions;

namespace Secrets.Sops.Rules;

/// <summary>sops' shouldBeEncrypted: each later rule overrides, every path element is checked (sops.md §1.4).</summary>
public sealed class LeafSelector
{
    private readonly string? _unencryptedSuffix;
    private readonly string? _encryptedSuffix;
    private readonly Regex? _unencryptedRegex;
    private readonly Regex? _encryptedRegex;
    private readonly Regex? _unencryptedCommentRegex;
    private readonly Regex? _encryptedCommentRegex;

    internal LeafSelector(EncryptionRules rules)
    {
        _unencryptedSuffix = string.IsNullOrEmpty(rules.UnencryptedSuffix) ? null : rules.UnencryptedSuffix;
        _encryptedSuffix = string.IsNullOrEmpty(rules.EncryptedSuffix) ? null : rules.EncryptedSuffix;
        _unencryptedRegex = Compile(rules.UnencryptedRegex);
        _encryptedRegex = Compile(rules.EncryptedRegex);
        _unencryptedCommentRegex = Compile(rules.UnencryptedCommentRegex);
        _encryptedCommentRegex = Compile(rules.EncryptedCommentRegex);
    }

    /// <summary>Whether a comment rule is set, i.e. whether the comments above a leaf matter at all.</summary>
    public bool UsesComments => _unencryptedCommentRegex is not null || _encryptedCommentRegex is not null;

    /// <summary>Whether the leaf at <paramref name="path"/> is encrypted, given the comments active above it.</summary>
    public bool ShouldEncrypt(IReadOnlyList<string> path, IEnumerable<string> activeComments)
    {
        var encrypt = true;
        if (_unencryptedSuffix is not null && AnyEndsWith(path, _unencryptedSuffix))
        {
            encrypt = false;
        }

        if (_encryptedSuffix is not null)
        {
            encrypt = AnyEndsWith(path, _encryptedSuffix);
        }

        if (_unencryptedRegex is not null && AnyMatch(path, _unencryptedRegex))
        {
            encrypt = false;
        }

        if (_encryptedRegex is not null)
        {
            encrypt = AnyMatch(path, _encryptedRegex);
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

    private static bool AnyEndsWith(IReadOnlyList<string> path, string suffix)
    {
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i].EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMatch(IReadOnlyList<string> path, Regex regex)
    {
        for (var i = 0; i < path.Count; i++)
        {
            if (regex.IsMatch(path[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static Regex? Compile(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new Regex(pattern, RegexOptions.CultureInvariant);
}
