using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Secrets.Age.Crypto;

/// <summary>X25519 (RFC 7748) over BouncyCastle, which the BCL lacks (age.md §13). Scalars are clamped by the function.</summary>
internal static class Curve25519
{
    public const int Size = 32;

    public static byte[] PublicKey(ReadOnlySpan<byte> scalar)
    {
        var k = scalar.ToArray();
        var point = new byte[Size];
        X25519.ScalarMultBase(k, 0, point, 0);
        CryptographicOperations.ZeroMemory(k);
        return point;
    }

    /// <summary>The shared secret, or null when it is all zero (a low-order or identity point, age.md §4 step 3).</summary>
    public static byte[]? Agree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point)
    {
        var k = scalar.ToArray();
        var shared = new byte[Size];
        var ok = X25519.CalculateAgreement(k, 0, point.ToArray(), 0, shared, 0);
        CryptographicOperations.ZeroMemory(k);
        return ok ? shared : null;
    }

    public static byte[] RandomScalar() => RandomNumberGenerator.GetBytes(Size);
}
