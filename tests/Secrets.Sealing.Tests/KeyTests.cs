using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Sealing.Tests;

public class KeyTests
{
    [VectorFact(Vectors.Folder)]
    public void Upstream_test_certificate_parses_and_warns_once_expired()
    {
        var pem = Vectors.Text("upstream", "kubeseal-test-cert.pem");
        var modulus = Vectors.Text("upstream", "kubeseal-test-cert.modulus.hex").Trim();

        var valid = SealingKey.FromPem(pem, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var expired = SealingKey.FromPem(pem, new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), "cert.pem");

        Assert.Equal(4096, valid.KeySizeBits);
        Assert.Empty(valid.Warnings);
        Assert.Equal(2027, valid.NotAfter!.Value.Year);
        var warning = Assert.Single(expired.Warnings);
        Assert.StartsWith("the certificate in \"cert.pem\" expired on June 18, 2027", warning, StringComparison.Ordinal);
        using var cert = X509Certificate2.CreateFromPem(pem);
        using var rsa = cert.GetRSAPublicKey()!;
        Assert.Equal(modulus.Replace("Modulus=", "", StringComparison.Ordinal), Convert.ToHexString(rsa.ExportParameters(false).Modulus!), ignoreCase: true);
    }

    [Fact]
    public void Expired_certificate_still_seals_with_a_warning()
    {
        var key = SealingKey.FromPem(TestKeys.ExpiredCert, DateTimeOffset.UtcNow);

        Assert.Single(key.Warnings);
        Assert.NotEmpty(key.Seal("v"u8, SealedSecretScope.ClusterWide, null, null));
    }

    [VectorFact(Vectors.Folder)]
    public void Public_key_pem_seals_like_the_certificate()
    {
        var key = SealingKey.FromPem(Vectors.Text("js-kubeseal-encrypt", "sealing-pubkey.pem"), DateTimeOffset.UtcNow);
        var sealedValue = key.Seal("from spki"u8, SealedSecretScope.NamespaceWide, "ns", null);

        Assert.Null(key.NotAfter);
        Assert.Equal(Vectors.JsCertificate().Fingerprint, key.Fingerprint);
        Assert.True(Vectors.JsKeys().TryUnseal(sealedValue, "ns"u8.ToArray(), out var plaintext));
        Assert.Equal("from spki"u8.ToArray(), plaintext);
    }

    [Theory]
    [InlineData("hello, not pem")]
    [InlineData("")]
    [InlineData("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")]
    public void Non_pem_or_broken_certificates_are_invalid_keys(string text)
    {
        var error = Assert.ThrowsAny<SecretsException>(() => SealingKey.FromPem(text, DateTimeOffset.UtcNow, "c.pem"));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.Contains("\"c.pem\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_key_given_as_certificate_is_refused_with_a_hint()
    {
        var error = Assert.Throws<SecretsOperationException>(() => SealingKey.FromPem(TestKeys.Rsa2048Pem, DateTimeOffset.UtcNow, "k.pem"));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.NotEmpty(error.Hints);
    }

    [Fact]
    public void Files_without_private_keys_are_invalid_keys()
    {
        using var ec = ECDsa.Create();
        var keys = new UnsealingKeySet();

        Assert.Equal(ErrorKind.InvalidKey, Assert.Throws<SecretsOperationException>(() => keys.Add("kind: Secret\nmetadata: {name: x}\n", "s.yaml")).Kind);
        Assert.Equal(ErrorKind.InvalidKey, Assert.Throws<SecretsOperationException>(() => keys.Add(TestKeys.Rsa2048Cert, "cert.pem")).Kind);
        Assert.Equal(ErrorKind.InvalidKey, Assert.Throws<SecretsOperationException>(() => keys.Add(ec.ExportPkcs8PrivateKeyPem(), "ec.pem")).Kind);
        Assert.Equal(ErrorKind.InvalidKey, Assert.Throws<SecretsOperationException>(() => keys.Add("{{{", "junk")).Kind);
        Assert.Equal(0, keys.Count);
    }

    [Fact]
    public void Key_holders_do_not_print_key_material()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;

        Assert.DoesNotContain("MII", keys.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("sealing key ", sealingKey.ToString(), StringComparison.Ordinal);
    }
}
