using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>
/// Makes key Secrets the Go controller can load and vice versa (sealed-secrets.md §3.1–3.2): RSA (4096 by default),
/// PKCS#1 <c>RSA PRIVATE KEY</c>, a self-signed SHA256-RSA certificate with an empty DN (or <c>CN=--my-cn</c>),
/// random 128-bit serial, KeyUsage critical EncipherOnly, BasicConstraints critical CA:TRUE, <c>generateName</c> prefix.
/// </summary>
public sealed class KeyGenerator(int keySize, TimeSpan ttl, string commonName, string prefix, TimeProvider? time = null)
{
    public V1Secret Generate(string ns)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var rsa = RSA.Create(keySize);
        var subject = commonName.Length == 0 ? new X500DistinguishedName([0x30, 0x00]) : new X500DistinguishedName("CN=" + commonName);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.EncipherOnly, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(subject, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), now, now + ttl, serial);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                GenerateName = prefix,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [KeySecrets.Label] = KeySecrets.Active },
            },
            Type = KeySecrets.TlsType,
            Data = new Dictionary<string, byte[]>
            {
                [KeySecrets.Certificate] = Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"),
                [KeySecrets.PrivateKey] = Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem() + "\n"),
            },
        };
    }
}
