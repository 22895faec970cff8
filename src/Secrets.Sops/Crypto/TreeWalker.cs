using System.Security.Cryptography;
using Secrets.Sops.Rules;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Crypto;

/// <summary>
/// Walks every document depth first in file order, encrypting or decrypting the selected leaves in place and hashing
/// plaintext values for the MAC exactly as sops' Tree.Encrypt/Tree.Decrypt do (sops.md §3).
/// </summary>
public sealed class TreeWalker
{
    /// <summary>SHA-256("sops"), prepended to the MAC input when only encrypted values count (sops.md §3).</summary>
    private static readonly byte[] MacOnlyEncryptedPrefix = SHA256.HashData("sops"u8);

    private readonly ValueCipher _cipher;
    private readonly LeafSelector _selector;
    private readonly bool _macOnlyEncrypted;
    private readonly bool _encrypting;
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);

    private TreeWalker(ValueCipher cipher, EncryptionRules rules, bool encrypting)
    {
        _cipher = cipher;
        _selector = rules.Selector();
        _macOnlyEncrypted = rules.MacOnlyEncrypted;
        _encrypting = encrypting;
    }

    /// <summary>Called for a comment that could not be decrypted and is kept in clear (sops warns and goes on).</summary>
    public Action<string>? OnClearComment { get; init; }

    /// <summary>Encrypts the documents in place; returns the MAC (uppercase hex SHA-512) of their plaintext.</summary>
    public static string Encrypt(IEnumerable<TreeBranch> documents, ValueCipher cipher, EncryptionRules rules) =>
        new TreeWalker(cipher, rules, encrypting: true).Walk(documents);

    /// <summary>Decrypts the documents in place; returns the MAC computed over the recovered plaintext.</summary>
    public static string Decrypt(IEnumerable<TreeBranch> documents, ValueCipher cipher, EncryptionRules rules, Action<string>? onClearComment = null) =>
        new TreeWalker(cipher, rules, encrypting: false) { OnClearComment = onClearComment }.Walk(documents);

    /// <summary>The MAC of plaintext documents without changing them (for <c>updatekeys</c>-style checks and tests).</summary>
    public static string ComputeMac(IEnumerable<TreeBranch> plainDocuments, EncryptionRules rules)
    {
        using var cipher = new ValueCipher(new byte[32]);
        return Encrypt(TreeCopy.Documents(plainDocuments), cipher, rules);
    }

    private string Walk(IEnumerable<TreeBranch> documents)
    {
        using (_hash)
        {
            if (_macOnlyEncrypted)
            {
                _hash.AppendData(MacOnlyEncryptedPrefix);
            }

            foreach (var document in documents)
            {
                WalkBranch(document, [], []);
            }

            return Convert.ToHexString(_hash.GetHashAndReset());
        }
    }

    private void WalkBranch(TreeBranch branch, List<string> path, List<List<string>> comments)
    {
        comments.Add([]);
        foreach (var item in branch)
        {
            if (item.Key is Comment comment)
            {
                var (result, plain) = Comment(comment, path, comments);
                item.Key = result;
                comments[^1].Add(plain);
                continue;
            }

            path.Add((string)item.Key);
            item.Value = WalkValue(item.Value, path, comments);
            path.RemoveAt(path.Count - 1);
            comments[^1].Clear();
        }

        comments.RemoveAt(comments.Count - 1);
    }

    private object? WalkValue(object? value, List<string> path, List<List<string>> comments)
    {
        switch (value)
        {
            case null:
                return null;
            case TreeBranch branch:
                WalkBranch(branch, path, comments);
                return branch;
            case TreeSequence sequence:
                for (var i = 0; i < sequence.Count; i++)
                {
                    sequence[i] = WalkValue(sequence[i], path, comments);
                }

                return sequence;
            case Comment comment:
                // In a sequence an encrypted comment is a plain list element (sops walkSlice); never hashed.
                if (!_encrypting)
                {
                    return comment;
                }

                var (stored, _) = Comment(comment, path, comments);
                return ReferenceEquals(stored, comment) ? comment : stored.Text;
            default:
                return Leaf(value, path, comments);
        }
    }

    private object Leaf(object value, List<string> path, List<List<string>> comments)
    {
        var encrypt = _selector.ShouldEncrypt(path, comments.SelectMany(level => level));
        var aad = Aad(path);
        object plain;
        object result;
        if (_encrypting)
        {
            plain = value;
            result = encrypt ? _cipher.Encrypt(value, aad) : value;
        }
        else
        {
            if (encrypt && value is string text && (text.Length == 0 || EncValue.LooksEncrypted(text)))
            {
                plain = _cipher.Decrypt(text, aad);
            }
            else if (encrypt && value is string other)
            {
                throw new Core.InvalidFileException($"value at \"{aad}\" should be encrypted but is not an ENC[…] value")
                {
                    Hints = [$"\"{Shorten(other)}\" was probably edited by hand; re-encrypt the file with 'secrets encrypt'"],
                };
            }
            else
            {
                plain = value;
            }

            result = plain;
        }

        if (plain is Comment)
        {
            return result;
        }

        if (!_macOnlyEncrypted || encrypt)
        {
            _hash.AppendData(PlainValue.ToBytes(plain));
        }

        return result;
    }

    /// <summary>A comment in key position: encrypted unless the rules leave it readable; returns (stored, plain text).</summary>
    private (Comment Stored, string Plain) Comment(Comment comment, List<string> path, List<List<string>> comments)
    {
        var aad = Aad(path);
        if (_encrypting)
        {
            var encrypt = !_selector.IsMarkerComment(comment.Text) && _selector.ShouldEncrypt(path, comments.SelectMany(level => level));
            return (encrypt ? new Comment(_cipher.Encrypt(comment, aad)) : comment, comment.Text);
        }

        if (EncValue.LooksEncrypted(comment.Text))
        {
            try
            {
                var plain = (Comment)_cipher.Decrypt(comment.Text, aad);
                return (plain, plain.Text);
            }
            catch (Core.SecretsException)
            {
                OnClearComment?.Invoke(aad);
            }
            catch (InvalidCastException)
            {
                OnClearComment?.Invoke(aad);
            }
        }

        return (comment, comment.Text);
    }

    public static string Aad(IReadOnlyList<string> path) => string.Join(':', path) + ":";

    private static string Shorten(string text) => text.Length <= 12 ? "…" : text[..6] + "…";
}
