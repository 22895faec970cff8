using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Secrets.Age.Crypto;

/// <summary>X25519 (RFC 7748) over BouncyCastle, which the BCL lacks (age.md §13). Scalars are clamped by the function.</summary>
internal static class Curve25519
{
    public const int Size = 32;

    // The base point u = 9 (RFC 7748 §4.1).
    private static readonly byte[] BasePoint = [9, .. new byte[Size - 1]];

    public static byte[] PublicKey(ReadOnlySpan<byte> scalar)
    {
        // The ladder on u = 9 rather than ScalarMultBase: the latter first builds BouncyCastle's precomputed Ed25519
        // tables, which costs more CPU than a whole small-file encryption (a process encrypts with one ephemeral key).
        var k = scalar.ToArray();
        var point = new byte[Size];
        X25519.ScalarMult(k, 0, BasePoint, 0, point, 0);
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
