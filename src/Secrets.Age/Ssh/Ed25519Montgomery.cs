using System.Numerics;
using Secrets.Core;

namespace Secrets.Age.Ssh;

/// <summary>
/// Maps an Ed25519 public key to the birationally equivalent Curve25519 u-coordinate, u = (1 + y) / (1 - y)
/// mod 2^255 - 19 (RFC 7748 §4.1), which ssh-ed25519 recipients encrypt to (age.md §9).
/// </summary>
internal static class Ed25519Montgomery
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    public static byte[] ToMontgomery(ReadOnlySpan<byte> edwardsPoint)
    {
        if (edwardsPoint.Length != 32)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-ed25519 key: the public key must be 32 bytes");
        }

        var encoded = edwardsPoint.ToArray();
        encoded[31] &= 0x7f; // the top bit is the sign of x
        var y = new BigInteger(encoded, isUnsigned: true, isBigEndian: false);
        var denominator = Mod(1 - y);
        if (y >= P || denominator.IsZero)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-ed25519 key: not a valid curve point");
        }

        var u = Mod((1 + y) * BigInteger.ModPow(denominator, P - 2, P));
        var result = new byte[32];
        u.TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
        return result;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }
}
