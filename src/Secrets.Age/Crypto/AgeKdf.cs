using System.Security.Cryptography;

namespace Secrets.Age.Crypto;

/// <summary>
/// HKDF-SHA256 with a 32-byte output, the only length age uses (age.md §3 note). Written as RFC 5869 Extract then
/// the single block T(1) so an empty ikm (the ssh-ed25519 tweak, age.md §9) and an empty salt (= 32 zero bytes)
/// behave identically on every platform.
/// </summary>
internal static class AgeKdf
{
    public const int Size = 32;

    public static byte[] Derive(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info)
    {
        Span<byte> prk = stackalloc byte[Size];
        Span<byte> block = info.Length <= 256 ? stackalloc byte[info.Length + 1] : new byte[info.Length + 1];
        try
        {
            // RFC 5869 §2.2: an absent salt is HashLen zero bytes.
            HMACSHA256.HashData(salt.IsEmpty ? stackalloc byte[Size] : salt, ikm, prk);
            info.CopyTo(block);
            block[^1] = 0x01;
            return HMACSHA256.HashData(prk, block);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    public static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => [.. a, .. b];
}
