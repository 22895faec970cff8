using System.Security.Cryptography;
using Secrets.Age.Crypto;

namespace Secrets.Age.Format;

/// <summary>
/// The header MAC (age.md §3): HMAC-SHA256 keyed by HKDF(file key, salt empty, "header") over the header from the
/// version line up to and including <c>---</c> (not the space).
/// </summary>
internal static class HeaderMac
{
    public static byte[] Compute(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> macInput)
    {
        var key = AgeKdf.Derive(fileKey, [], "header"u8);
        try
        {
            return HMACSHA256.HashData(key, macInput);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> fileKey, Header header) =>
        CryptographicOperations.FixedTimeEquals(Compute(fileKey, header.MacInput), header.Mac);
}
