using System.Security.Cryptography;
using Secrets.Core;

namespace Secrets.Sops.Keys;

/// <summary>
/// Shamir secret sharing over GF(2^8) with the AES polynomial, byte-compatible with sops' shamir package (a fork of
/// Vault's): a share is the y value for each secret byte followed by its x coordinate as the last byte (sops.md §5).
/// Multiplication is the constant-time bitwise form sops 3.10+ uses.
/// </summary>
public static class Shamir
{
    public static List<byte[]> Split(ReadOnlySpan<byte> secret, int parts, int threshold)
    {
        if (threshold < 2 || threshold > 255 || parts < threshold || parts > 255)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"shamir threshold {threshold} with {parts} key groups is invalid (need 2 <= threshold <= groups <= 255)");
        }

        var shares = new List<byte[]>(parts);
        for (var p = 0; p < parts; p++)
        {
            var share = new byte[secret.Length + 1];
            share[^1] = (byte)(p + 1);
            shares.Add(share);
        }

        var coefficients = new byte[threshold];
        for (var i = 0; i < secret.Length; i++)
        {
            RandomNumberGenerator.Fill(coefficients);
            coefficients[0] = secret[i];
            for (var p = 0; p < parts; p++)
            {
                shares[p][i] = Evaluate(coefficients, (byte)(p + 1));
            }
        }

        CryptographicOperations.ZeroMemory(coefficients);
        return shares;
    }

    public static byte[] Combine(IReadOnlyList<byte[]> shares)
    {
        if (shares.Count < 2)
        {
            throw new InvalidFileException("less than two shares cannot be combined");
        }

        var length = shares[0].Length;
        if (length < 2 || shares.Any(s => s.Length != length))
        {
            throw new InvalidFileException("the shares of the data key have different lengths");
        }

        var xs = shares.Select(s => s[^1]).ToArray();
        if (xs.Distinct().Count() != xs.Length)
        {
            throw new InvalidFileException("two shares of the data key have the same x coordinate");
        }

        var secret = new byte[length - 1];
        var ys = new byte[shares.Count];
        for (var i = 0; i < secret.Length; i++)
        {
            for (var s = 0; s < shares.Count; s++)
            {
                ys[s] = shares[s][i];
            }

            secret[i] = InterpolateAtZero(xs, ys);
        }

        return secret;
    }

    internal static byte Multiply(byte a, byte b)
    {
        var result = 0;
        int x = a, y = b;
        for (var i = 0; i < 8; i++)
        {
            result ^= x & -(y & 1);
            var carry = -((x >> 7) & 1);
            x = ((x << 1) ^ (0x1B & carry)) & 0xFF;
            y >>= 1;
        }

        return (byte)result;
    }

    internal static byte Inverse(byte a)
    {
        // a^254 = a^-1 in GF(2^8).
        var result = a;
        for (var i = 0; i < 6; i++)
        {
            result = Multiply(result, result);
            result = Multiply(result, a);
        }

        return Multiply(result, result);
    }

    private static byte Evaluate(byte[] coefficients, byte x)
    {
        var result = coefficients[^1];
        for (var i = coefficients.Length - 2; i >= 0; i--)
        {
            result = (byte)(Multiply(result, x) ^ coefficients[i]);
        }

        return result;
    }

    private static byte InterpolateAtZero(byte[] xs, byte[] ys)
    {
        byte result = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            byte basis = 1;
            for (var j = 0; j < xs.Length; j++)
            {
                if (i != j)
                {
                    // basis *= x_j / (x_j - x_i); subtraction is xor.
                    basis = Multiply(basis, Multiply(xs[j], Inverse((byte)(xs[j] ^ xs[i]))));
                }
            }

            result ^= Multiply(basis, ys[i]);
        }

        return result;
    }
}
