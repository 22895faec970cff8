using System.Security.Cryptography;

namespace Secrets.Age.Crypto;

/// <summary>
/// ChaCha20-Poly1305 under a single-use wrap key with a zero nonce, no aad: how the X25519, scrypt and ssh-ed25519
/// stanzas carry the 16-byte file key (age.md §4, §5, §9).
/// </summary>
internal static class FileKeyWrap
{
    public const int FileKeySize = 16;
    public const int BodySize = FileKeySize + 16;

    public static byte[] Seal(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> fileKey)
    {
        if (fileKey.Length != FileKeySize)
        {
            throw new ArgumentException($"the file key must be {FileKeySize} bytes", nameof(fileKey));
        }

        var body = new byte[BodySize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        aead.Encrypt(stackalloc byte[12], fileKey, body.AsSpan(0, FileKeySize), body.AsSpan(FileKeySize));
        return body;
    }

    /// <summary>The file key, or null when the tag does not verify (not this key).</summary>
    public static byte[]? TryOpen(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> body)
    {
        var fileKey = new byte[FileKeySize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        try
        {
            aead.Decrypt(stackalloc byte[12], body[..FileKeySize], body[FileKeySize..], fileKey);
            return fileKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
