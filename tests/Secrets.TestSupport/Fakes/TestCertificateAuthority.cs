using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Secrets.TestSupport.Fakes;

/// <summary>
/// An in-memory certificate authority and one server certificate for 127.0.0.1/localhost, so the fakes can speak https
/// (and HTTP/2 via ALPN) the way real endpoints do. Nothing touches the machine's trust store: clients trust
/// <see cref="Certificate"/> explicitly (test-infra.md §2, §4).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 certificate, X509Certificate2 serverCertificate)
    {
        Certificate = certificate;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The CA certificate (public part only matters to clients).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The leaf certificate (with private key) the server presents; SANs 127.0.0.1, ::1 and localhost.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>PEM of the CA certificate, e.g. for a kubeconfig's <c>certificate-authority-data</c>.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    public static TestCertificateAuthority Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=secrets-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leaf = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var leafWithKey = leaf.CopyWithPrivateKey(leafKey);

        // Round-trip through PKCS#12 so SslStream gets a certificate whose key is usable on every platform.
        var pfx = leafWithKey.Export(X509ContentType.Pkcs12);
        var server = X509CertificateLoader.LoadPkcs12(pfx, null);
        var caPublic = X509CertificateLoader.LoadCertificate(ca.RawData);
        return new TestCertificateAuthority(caPublic, server);
    }

    /// <summary>Validates a server chain against this CA only (<see cref="X509ChainTrustMode.CustomRootTrust"/>).</summary>
    public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>A handler that trusts this CA and nothing else; hand it to an SDK transport (e.g. Azure's HttpClientTransport).</summary>
    public HttpClientHandler CreateTrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors),
    };

    public void Dispose()
    {
        Certificate.Dispose();
        ServerCertificate.Dispose();
    }
}
