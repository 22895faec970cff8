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

    /// <summary>
    /// Reads every private key PEM block (PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>) in the text, as the
    /// BCL's parameters: OpenSSL takes them as they are, and BouncyCastle's key objects are built only where OpenSSL is
    /// missing (<see cref="UnsealingKey"/>). The caller clears them with <see cref="Clear"/>.
    /// </summary>
    public static List<RSAParameters> ReadPrivateKeys(string pemText, string source)
    {
        var keys = new List<RSAParameters>();
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

                keys.Add(rsa.ExportParameters(includePrivateParameters: true));
            }
            else if (label is "ENCRYPTED PRIVATE KEY")
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds an encrypted private key; decrypt it first (openssl pkey -in KEY -out PLAIN)");
            }
        }

        return keys;
    }

    /// <summary>A short, non-secret name of a public key: SHA-256 of modulus and exponent, first 8 bytes in hex.</summary>
    public static string Fingerprint(RsaKeyParameters key) =>
        Fingerprint(key.Modulus.ToByteArrayUnsigned(), (key is RsaPrivateCrtKeyParameters crt ? crt.PublicExponent : key.Exponent).ToByteArrayUnsigned());

    /// <summary>The same fingerprint from the BCL's big-endian unsigned modulus and exponent.</summary>
    public static string Fingerprint(RSAParameters key) =>
        Fingerprint(Unsigned(key.Modulus).ToByteArrayUnsigned(), Unsigned(key.Exponent).ToByteArrayUnsigned());

    private static string Fingerprint(byte[] modulus, byte[] exponent)
    {
        var hash = SHA256.HashData([.. modulus, .. exponent]);
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static BigInteger Unsigned(byte[]? bytes) => new(1, bytes ?? throw new CryptographicException("incomplete RSA key"));

    /// <summary>Zeroes the private parts of <paramref name="p"/>.</summary>
    public static void Clear(RSAParameters p)
    {
        CryptographicOperations.ZeroMemory(p.D);
        CryptographicOperations.ZeroMemory(p.P);
        CryptographicOperations.ZeroMemory(p.Q);
        CryptographicOperations.ZeroMemory(p.DP);
        CryptographicOperations.ZeroMemory(p.DQ);
        CryptographicOperations.ZeroMemory(p.InverseQ);
    }
}
