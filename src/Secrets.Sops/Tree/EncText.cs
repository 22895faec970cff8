using System.Buffers;
using System.Text;

namespace Secrets.Sops.Tree;

/// <summary>
/// A canonical <c>ENC[AES256_GCM,…]</c> value as read from an encrypted YAML file, kept as a slice of the file's bytes
/// until it is decrypted: an object of 32 bytes instead of a .NET string of some 340 (for a file of 100k values, 3 MB
/// instead of 34 MB next to the file itself; docs/sops.md "Benchmark"). Only <see cref="Stores.YamlStore"/>'s loading of
/// an encrypted file from a byte array makes these; the tree walker turns each into its plaintext value (or, for a value
/// the rules leave alone, into the string).
/// </summary>
public sealed class EncText(byte[] source, int start, int length)
{
    private static readonly SearchValues<byte> EncBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=,:[]_"u8);

    /// <summary>The text, ASCII (a subset of UTF-8).</summary>
    public ReadOnlySpan<byte> Utf8 => source.AsSpan(start, length);

    /// <summary>
    /// The shape <c>Stores.YamlScalarStyle.IsEncValue</c> accepts: such a plain scalar is a string (it resolves to
    /// nothing else) and is written back plain and unchanged.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> text) =>
        text.StartsWith("ENC[AES256_GCM,"u8) && text[^1] != (byte)':' && !text.ContainsAnyExcept(EncBytes);

    public override string ToString() => Encoding.ASCII.GetString(Utf8);
}
