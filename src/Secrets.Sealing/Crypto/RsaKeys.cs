using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Core;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Secrets.Sealing.Crypto;

/// <summary>Turns PEM text parsed by the BCL into BouncyCastle key parameters, and names keys without revealing them.</summary>
internal static class RsaKeys
{
    public static RsaKeyParameters ToPublic(RSAParameters p) =>
        new(false, Unsigned(p.Modulus), Unsigned(p.Exponent));

    public static RsaPrivateCrtKeyParameters ToPrivate(RSAParameters p)
    {
        try
        {
            return new RsaPrivateCrtKeyParameters(
                Unsigned(p.Modulus), Unsigned(p.Exponent), Unsigned(p.D), Unsigned(p.P), Unsigned(p.Q),
                Unsigned(p.DP), Unsigned(p.DQ), Unsigned(p.InverseQ));
        }
        finally
        {
            Clear(p);
        }
    }

    /// <summary>Reads every private key PEM block (PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>) in the text.</summary>
    public static List<RsaPrivateCrtKeyParameters> ReadPrivateKeys(string pemText, string source)
    {
        var keys = new List<RsaPrivateCrtKeyParameters>();
        var rest = pemText.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            var block = rest[fields.Location];
            rest = rest[fields.Location.End..];
            if (label is "RSA PRIVATE KEY" or "PRIVATE KEY")
            {
                using var rsa = RSA.Create();
                try
                {
                    rsa.ImportFromPem(block);
                }
                catch (CryptographicException e)
                {
                    throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds a private key that is not an RSA key or is malformed", e);
                }
                catch (ArgumentException e)
                {
                    throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds a private key that is not an RSA key or is malformed", e);
                }

                keys.Add(ToPrivate(rsa.ExportParameters(includePrivateParameters: true)));
            }
            else if (label is "ENCRYPTED PRIVATE KEY")
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds an encrypted private key; decrypt it first (openssl pkey -in KEY -out PLAIN)");
            }
        }

        return keys;
    }

    /// <summary>A short, non-secret name of a public key: SHA-256 of modulus and exponent, first 8 bytes in hex.</summary>
    public static string Fingerprint(RsaKeyParameters key)
    {
        var modulus = key.Modulus.ToByteArrayUnsigned();
        var exponent = (key is RsaPrivateCrtKeyParameters crt ? crt.PublicExponent : key.Exponent).ToByteArrayUnsigned();
        var hash = SHA256.HashData([.. modulus, .. exponent]);
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static BigInteger Unsigned(byte[]? bytes) => new(1, bytes ?? throw new CryptographicException("incomplete RSA key"));

    private static void Clear(RSAParameters p)
    {
        CryptographicOperations.ZeroMemory(p.D);
        CryptographicOperations.ZeroMemory(p.P);
        CryptographicOperations.ZeroMemory(p.Q);
        CryptographicOperations.ZeroMemory(p.DP);
        CryptographicOperations.ZeroMemory(p.DQ);
        CryptographicOperations.ZeroMemory(p.InverseQ);
    }
}
