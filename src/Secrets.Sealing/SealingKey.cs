using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Core;
using Secrets.Sealing.Crypto;

namespace Secrets.Sealing;

/// <summary>
/// The controller's public key, read from its certificate (what <c>/v1/cert.pem</c> serves) or from a
/// <c>PUBLIC KEY</c> PEM. Seals values in the hybrid format of sealed-secrets.md §1.
/// </summary>
public sealed class SealingKey
{
    private readonly RsaKeyParameters _publicKey;

    private SealingKey(RsaKeyParameters publicKey, DateTimeOffset? notAfter, IReadOnlyList<string> warnings)
    {
        _publicKey = publicKey;
        NotAfter = notAfter;
        Warnings = warnings;
        Fingerprint = RsaKeys.Fingerprint(publicKey);
    }

    /// <summary>The certificate's expiry; null for a bare public key.</summary>
    public DateTimeOffset? NotAfter { get; }

    /// <summary>Things the user should know (an expired certificate); the CLI prints them as warnings.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public int KeySizeBits => _publicKey.Modulus.BitLength;

    /// <summary>A short non-secret identifier of the public key (SHA-256 prefix).</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Reads the first certificate (kubeseal uses the first only, §3.5) or an RSA public key from PEM text.
    /// An expired certificate is accepted with a warning (kubeseal refuses it without a bypass, issue #1041).
    /// </summary>
    public static SealingKey FromPem(string pem, DateTimeOffset now, string source = "certificate")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var span = pem.AsSpan();
        while (PemEncoding.TryFind(span, out var fields))
        {
            var label = span[fields.Label].ToString();
            var block = span[fields.Location];
            switch (label)
            {
                case "CERTIFICATE":
                    return FromCertificate(block, now, source);
                case "PUBLIC KEY" or "RSA PUBLIC KEY":
                    return FromPublicKey(block, source);
                case "RSA PRIVATE KEY" or "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY":
                    throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds a private key, not a certificate")
                    {
                        Hints = ["seal with the controller's certificate (secrets seal --fetch-cert > cert.pem); private keys are for 'secrets unseal'"],
                    };
                default:
                    span = span[fields.Location.End..];
                    break;
            }
        }

        throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" is not a PEM certificate or public key")
        {
            Hints = ["expected '-----BEGIN CERTIFICATE-----' as served by the controller's /v1/cert.pem"],
        };
    }

    /// <summary>Encrypts one value with a fresh session key for the given OAEP label; returns the raw blob.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return HybridEncryption.Encrypt(_publicKey, label, plaintext);
    }

    /// <summary>Seals one value for a scope and target and returns it as kubeseal writes it (standard padded base64).</summary>
    public string Seal(ReadOnlySpan<byte> plaintext, SealedSecretScope scope, string? @namespace, string? name) =>
        Convert.ToBase64String(Encrypt(plaintext, ScopeAnnotations.Label(scope, @namespace, name)));

    public override string ToString() => $"sealing key {Fingerprint} ({KeySizeBits}-bit RSA)";

    private static SealingKey FromCertificate(ReadOnlySpan<char> block, DateTimeOffset now, string source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(block);
        }
        catch (CryptographicException e)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds a malformed certificate", e);
        }

        using (certificate)
        {
            using var rsa = certificate.GetRSAPublicKey()
                ?? throw new SecretsOperationException(ErrorKind.InvalidKey, $"the certificate in \"{source}\" does not hold an RSA key");
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var warnings = new List<string>();
            if (now > notAfter)
            {
                // Same wording as kubeseal's refusal (§3.5), but only a warning: sealing still works for the controller.
                warnings.Add($"the certificate in \"{source}\" expired on {notAfter.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}; " +
                    "the controller may have a newer key (secrets seal --fetch-cert)");
            }

            return new SealingKey(RsaKeys.ToPublic(rsa.ExportParameters(false)), notAfter, warnings);
        }
    }

    private static SealingKey FromPublicKey(ReadOnlySpan<char> block, string source)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(block);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" holds a public key that is not an RSA key or is malformed", e);
        }

        return new SealingKey(RsaKeys.ToPublic(rsa.ExportParameters(false)), null, []);
    }
}
