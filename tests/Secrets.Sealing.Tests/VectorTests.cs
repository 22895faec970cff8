using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;
using Secrets.TestSupport;

namespace Secrets.Sealing.Tests;

public class VectorTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "go-kubeseal-v0.14.1", "04-sealed-secret.yaml" },
        { "js-kubeseal-encrypt", "strict.yaml" },
        { "js-kubeseal-encrypt", "namespace-wide.yaml" },
        { "js-kubeseal-encrypt", "cluster-wide.yaml" },
    };

    public static TheoryData<string> Sets() => new() { "go-kubeseal-v0.14.1", "js-kubeseal-encrypt" };

    [VectorTheory(Vectors.Folder)]
    [MemberData(nameof(Cases))]
    public void Every_vector_set_unseals_to_its_expected_json(string set, string file)
    {
        var expected = Vectors.Expected(set);
        var expectedCase = expected["cases"]!.AsArray().Single(c => (string?)c!["file"] == file)!;
        var sealedSecret = Vectors.ReadSealedSecret(set, file);

        var secret = Vectors.Keys(set, (string)expected["privateKey"]!).Unseal(sealedSecret);

        Assert.Equal((string?)expectedCase["scope"], sealedSecret.Scope.ToFlagValue());
        Assert.Equal((string?)expectedCase["oaepLabel"], Encoding.UTF8.GetString(sealedSecret.Label));
        Assert.Equal((string?)expectedCase["namespace"], secret.Metadata.Namespace);
        Assert.Equal((string?)expectedCase["name"], secret.Metadata.Name);
        Assert.Equal((string?)expectedCase["type"], secret.Type);
        var expectedData = expectedCase["data"]!.AsObject().Concat(expectedCase["templatedData"]!.AsObject())
            .ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.Equal(expectedData.OrderBy(p => p.Key, StringComparer.Ordinal), secret.Data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [VectorFact(Vectors.Folder)]
    public void Go_kubeseal_output_unseals_with_the_controller_key_secret()
    {
        var expected = Vectors.Expected("go-kubeseal-v0.14.1");
        var keys = Vectors.Keys("go-kubeseal-v0.14.1", "sealed-secrets-keynvpcz.yaml");
        var sealedSecret = Vectors.ReadSealedSecret("go-kubeseal-v0.14.1", "04-sealed-secret.yaml");

        var secret = keys.Unseal(sealedSecret);

        Assert.Equal(SealedSecretScope.Strict, sealedSecret.Scope);
        Assert.Equal("sealed-secrets-example", Encoding.UTF8.GetString(secret.Data["token"]));
        Assert.Contains("sealed-secrets-example", expected.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("foo", secret.Metadata.Namespace);
        Assert.Equal("credentials", secret.Metadata.Name);
        Assert.Equal("Opaque", secret.Type);
    }

    [VectorFact(Vectors.Folder)]
    public void Go_kubeseal_output_unseals_with_the_decoded_pkcs1_key()
    {
        var keys = Vectors.Keys("go-kubeseal-v0.14.1", "tls.key");
        var sealedSecret = Vectors.ReadSealedSecret("go-kubeseal-v0.14.1", "04-sealed-secret.yaml");

        Assert.True(keys.TryUnseal(sealedSecret.EncryptedData["token"], Encoding.UTF8.GetBytes("foo/credentials"), out var plaintext));
        Assert.Equal("sealed-secrets-example", Encoding.UTF8.GetString(plaintext));
    }

    [VectorTheory(Vectors.Folder)]
    [InlineData("credentials2", "foo")]
    [InlineData("credentials", "bar")]
    public void Go_vector_fails_when_renamed_or_moved(string name, string ns)
    {
        var keys = Vectors.Keys("go-kubeseal-v0.14.1", "tls.key");
        var sealedSecret = Vectors.ReadSealedSecret("go-kubeseal-v0.14.1", "04-sealed-secret.yaml");
        sealedSecret.Metadata.Name = name;
        sealedSecret.Metadata.Namespace = ns;

        var error = Assert.Throws<NoMatchingKeyException>(() => keys.Unseal(sealedSecret));
        Assert.Contains("\"token\"", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{ns}/{name}\"", Assert.Single(error.Attempts), StringComparison.Ordinal);
    }

    [VectorTheory(Vectors.Folder)]
    [InlineData("strict.yaml", "renamed", "dev-ns", false)]
    [InlineData("strict.yaml", "db-credentials", "other-ns", false)]
    [InlineData("namespace-wide.yaml", "another-name", "dev-ns", true)]
    [InlineData("namespace-wide.yaml", "any-name-ok", "another-ns", false)]
    [InlineData("cluster-wide.yaml", "elsewhere", "another-ns", true)]
    public void Renamed_or_moved_copy_fails_exactly_where_its_scope_says(string file, string name, string ns, bool unseals)
    {
        var sealedSecret = Vectors.ReadSealedSecret("js-kubeseal-encrypt", file);
        sealedSecret.Metadata.Name = name;
        sealedSecret.Metadata.Namespace = ns;
        var keys = Vectors.JsKeys();

        if (unseals)
        {
            var secret = keys.Unseal(sealedSecret);
            Assert.Equal(name, secret.Metadata.Name);
            Assert.Equal(ns, secret.Metadata.Namespace);
            Assert.NotEmpty(secret.Data);
        }
        else
        {
            Assert.Throws<NoMatchingKeyException>(() => keys.Unseal(sealedSecret));
        }
    }

    [VectorTheory(Vectors.Folder)]
    [MemberData(nameof(Sets))]
    public void Expected_json_negative_cases_fail(string set)
    {
        var expected = Vectors.Expected(set);
        var keys = Vectors.Keys(set, (string)expected["privateKey"]!);
        var negatives = expected["negative"]!.AsArray();
        Assert.NotEmpty(negatives);
        foreach (var negative in negatives)
        {
            var sealedSecret = Vectors.ReadSealedSecret(set, (string)negative!["file"]!);
            sealedSecret.Metadata.Name = (string)negative["tryName"]!;
            sealedSecret.Metadata.Namespace = (string)negative["tryNamespace"]!;
            Assert.Throws<NoMatchingKeyException>(() => keys.Unseal(sealedSecret));
        }
    }

    [VectorFact(Vectors.Folder)]
    public void Key_secret_manifest_and_pem_load_the_same_key()
    {
        var fromPem = Vectors.JsKeys();
        var fromSecret = Vectors.Keys("js-kubeseal-encrypt", "sealing-key-secret.yaml");

        Assert.Equal(fromPem.Fingerprints, fromSecret.Fingerprints);
        Assert.Equal(Vectors.JsCertificate().Fingerprint, Assert.Single(fromPem.Fingerprints));
    }

    [VectorFact(Vectors.Folder)]
    public void Pkcs8_key_unseals_like_pkcs1()
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(Vectors.Text("js-kubeseal-encrypt", "sealing-key.pem"));
        var keys = new UnsealingKeySet();
        keys.Add(rsa.ExportPkcs8PrivateKeyPem(), "pkcs8.pem");

        var secret = keys.Unseal(Vectors.ReadSealedSecret("js-kubeseal-encrypt", "namespace-wide.yaml"));

        Assert.Equal("ns-wide-token", Encoding.UTF8.GetString(secret.Data["token"]));
    }

    [VectorFact(Vectors.Folder)]
    public void Go_vector_rewritten_as_yaml_has_kubeseals_shape()
    {
        var text = Vectors.Text("go-kubeseal-v0.14.1", "04-sealed-secret.yaml");
        var sealedSecret = SealedSecret.FromDocument(ManifestReader.ReadObjects(text, "04").Single(), "04");

        var yaml = ManifestWriter.Write(sealedSecret.ToDocument(), ManifestFormat.Yaml);

        Assert.Equal("---\n" + text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n", yaml);
    }

    [VectorFact(Vectors.Folder)]
    public void Config_template_example_parses_with_its_template_data()
    {
        var sealedSecret = Vectors.ReadSealedSecret("upstream", "config-template-sealedsecret.yaml");

        Assert.NotEmpty(sealedSecret.EncryptedData);
        Assert.NotEmpty(sealedSecret.Template.Data);
        Assert.IsType<JsonObject>(sealedSecret.ToDocument()["spec"]);
    }
}
