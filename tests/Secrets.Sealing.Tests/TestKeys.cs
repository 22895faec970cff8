using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Secrets.Sealing.Tests;

/// <summary>RSA-2048 keys generated once per test run (4096-bit keys come from the vectors).</summary>
internal static class TestKeys
{
    private static readonly Lazy<(string Pem, string Cert)> Main = new(() => Generate(DateTimeOffset.UtcNow.AddYears(1)));
    private static readonly Lazy<(string Pem, string Cert)> Other = new(() => Generate(DateTimeOffset.UtcNow.AddYears(1)));
    private static readonly Lazy<(string Pem, string Cert)> ExpiredLazy = new(() => Generate(DateTimeOffset.UtcNow.AddDays(-2)));

    public static string Rsa2048Pem => Main.Value.Pem;

    public static string Rsa2048Cert => Main.Value.Cert;

    public static string Other2048Pem => Other.Value.Pem;

    public static string ExpiredCert => ExpiredLazy.Value.Cert;

    public static (SealingKey Sealing, UnsealingKeySet Keys) Rsa2048 => Pair(Main.Value);

    public static (SealingKey Sealing, UnsealingKeySet Keys) Other2048 => Pair(Other.Value);

    private static (SealingKey, UnsealingKeySet) Pair((string Pem, string Cert) material)
    {
        var keys = new UnsealingKeySet();
        keys.Add(material.Pem, "test.pem");
        return (SealingKey.FromPem(material.Cert, DateTimeOffset.UtcNow), keys);
    }

    private static (string, string) Generate(DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName(""), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        return (rsa.ExportRSAPrivateKeyPem(), cert.ExportCertificatePem());
    }
}
