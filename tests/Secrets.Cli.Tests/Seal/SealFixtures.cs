using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;
using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Seal;

/// <summary>Vector paths (read in place) and generated keys for the seal command tests.</summary>
internal static class SealFixtures
{
    public const string Vectors = "sealed-secrets";

    private static readonly Lazy<(string Key, string Cert)> Generated = new(() => Generate(DateTimeOffset.UtcNow.AddYears(1)));
    private static readonly Lazy<(string Key, string Cert)> ExpiredLazy = new(() => Generate(DateTimeOffset.UtcNow.AddDays(-1)));

    public static string JsCert => RepoPaths.Vector(Vectors, "js-kubeseal-encrypt", "sealing-cert.pem");

    public static string JsKey => RepoPaths.Vector(Vectors, "js-kubeseal-encrypt", "sealing-key.pem");

    public static string JsKeySecret => RepoPaths.Vector(Vectors, "js-kubeseal-encrypt", "sealing-key-secret.yaml");

    public static string GoKey => RepoPaths.Vector(Vectors, "go-kubeseal-v0.14.1", "tls.key");

    public static string JsSet(string file) => RepoPaths.Vector(Vectors, "js-kubeseal-encrypt", file);

    /// <summary>A second RSA-2048 key (PKCS#1 PEM) and its certificate, made once per run.</summary>
    public static (string Key, string Cert) Other => Generated.Value;

    public static string ExpiredCert => ExpiredLazy.Value.Cert;

    public static UnsealingKeySet KeysFrom(params string[] pems)
    {
        var keys = new UnsealingKeySet();
        foreach (var pem in pems)
        {
            keys.Add(pem, "test");
        }

        return keys;
    }

    public static byte[] SecretYaml(string name = "db", string? ns = "prod", string password = "s3cr3t-value") =>
        Encoding.UTF8.GetBytes($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {name}
            {(ns is null ? "" : $"  namespace: {ns}\n")}type: Opaque
            stringData:
              password: {password}
            """);

    public static SealedSecret ReadSealed(byte[] bytes) => SealedSecret.FromDocument(ManifestReader.ReadObjects(bytes, "out").Single(), "out");

    public static JsonObject ReadOne(byte[] bytes) => ManifestReader.ReadObjects(bytes, "out").Single();

    private static (string, string) Generate(DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName(""), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        return (rsa.ExportRSAPrivateKeyPem(), cert.ExportCertificatePem());
    }
}
