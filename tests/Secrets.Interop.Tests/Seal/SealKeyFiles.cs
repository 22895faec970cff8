using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Seal;

/// <summary>One fresh RSA-4096 controller-style key per test class, written as PKCS#1, PKCS#8, SPKI and a certificate.</summary>
public sealed class SealKeyFiles : IDisposable
{
    public SealKeyFiles()
    {
        using var rsa = RSA.Create(4096);
        var request = new CertificateRequest(new X500DistinguishedName(""), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        File.WriteAllText(Directory.File("key.pem"), rsa.ExportRSAPrivateKeyPem());
        File.WriteAllText(Directory.File("pkcs8.pem"), rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Directory.File("pub.pem"), rsa.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Directory.File("cert.pem"), cert.ExportCertificatePem());
    }

    public TempDirectory Directory { get; } = new();

    public void Dispose() => Directory.Dispose();
}
