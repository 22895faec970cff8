using System.Buffers;
using System.Text;

namespace Secrets.Sops.Tree;

/// <summary>
/// A canonical <c>ENC[AES256_GCM,…]</c> value as read from an encrypted YAML file, kept as its UTF-8 (ASCII) bytes
/// until it is decrypted: half the memory of a .NET string, which for a file of 100k values is some 15 MB
/// (docs/sops.md "Benchmark"). Only <see cref="Stores.YamlStore"/>'s loading of encrypted files makes these; the tree
/// walker turns each into its plaintext value (or, for a value the rules leave alone, into the string).
/// </summary>
public sealed record EncText(byte[] Utf8)
{
    private static readonly SearchValues<byte> EncBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=,:[]_"u8);

    /// <summary>
    /// The shape <c>Stores.YamlScalarStyle.IsEncValue</c> accepts: such a plain scalar is a string (it resolves to
    /// nothing else) and is written back plain and unchanged.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> text) =>
        text.StartsWith("ENC[AES256_GCM,"u8) && text[^1] != (byte)':' && !text.ContainsAnyExcept(EncBytes);

    public override string ToString() => Encoding.ASCII.GetString(Utf8);
}
