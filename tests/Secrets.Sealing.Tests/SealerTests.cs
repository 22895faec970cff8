using System.Text;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing.Tests;

public class SealerTests
{
    private const string InputYaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: app
          namespace: prod
          uid: 1234
          resourceVersion: "99"
          creationTimestamp: "2024-01-01T00:00:00Z"
          labels:
            team: a
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"aHVudGVyMg=="}}'
            note: keep
          ownerReferences:
          - name: x
        type: kubernetes.io/basic-auth
        immutable: true
        data:
          password: aHVudGVyMg==
          username: YWRtaW4=
        stringData:
          username: root
        """;

    private static SecretManifest Input() => SecretManifest.FromDocument(ManifestReader.ReadObjects(InputYaml, "in").Single(), "in");

    [Fact]
    public void Sealing_normalises_the_input_like_kubeseal()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;

        var sealedSecret = new SecretSealer(sealingKey).Seal(Input(), new SealOptions());

        Assert.Equal("app", sealedSecret.Metadata.Name);
        Assert.Equal("prod", sealedSecret.Metadata.Namespace);
        Assert.Empty(sealedSecret.Metadata.Annotations);
        var template = sealedSecret.Template;
        Assert.Equal(["note"], template.Metadata.Annotations.Keys);
        Assert.Equal("a", template.Metadata.Labels["team"]);
        Assert.Null(template.Metadata.Node["uid"]);
        Assert.Null(template.Metadata.Node["resourceVersion"]);
        Assert.Null(template.Metadata.Node["ownerReferences"]);
        Assert.Equal("kubernetes.io/basic-auth", template.Type);
        Assert.True(template.Immutable);
        var secret = keys.Unseal(sealedSecret);
        Assert.Equal("root", Encoding.UTF8.GetString(secret.Data["username"]));
        Assert.Equal("hunter2", Encoding.UTF8.GetString(secret.Data["password"]));
        var json = ManifestWriter.Write(sealedSecret.ToDocument(), ManifestFormat.Json);
        Assert.DoesNotContain("aHVudGVyMg", json, StringComparison.Ordinal);
        Assert.DoesNotContain("last-applied", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_follows_kubeseals_field_order()
    {
        var sealedSecret = new SealedSecret
        {
            Metadata = new KubeMetadata { Name = "mysecret", Namespace = "default" },
            Template = new SealedSecretTemplate { Metadata = new KubeMetadata { Name = "mysecret", Namespace = "default" }, Type = "Opaque" },
        };
        sealedSecret.EncryptedData["foo"] = "AgB+/x==";

        var json = ManifestWriter.Write(sealedSecret.ToDocument(), ManifestFormat.Json);

        Assert.Equal("""
            {
              "kind": "SealedSecret",
              "apiVersion": "bitnami.com/v1alpha1",
              "metadata": {
                "name": "mysecret",
                "namespace": "default",
                "creationTimestamp": null
              },
              "spec": {
                "template": {
                  "metadata": {
                    "name": "mysecret",
                    "namespace": "default",
                    "creationTimestamp": null
                  },
                  "type": "Opaque"
                },
                "encryptedData": {
                  "foo": "AgB+/x=="
                }
              }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal), json);
    }

    [Fact]
    public void Yaml_output_sorts_keys_and_quotes_the_scope_annotation()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var sealedSecret = new SecretSealer(sealingKey).Seal(TestSecrets.Make("app", "ns", ("k", [1])), new SealOptions { Scope = SealedSecretScope.NamespaceWide });

        var yaml = ManifestWriter.Write(sealedSecret.ToDocument(), ManifestFormat.Yaml);

        Assert.StartsWith("""
            ---
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              annotations:
                sealedsecrets.bitnami.com/namespace-wide: "true"
              creationTimestamp: null
              name: app
              namespace: ns
            spec:
              encryptedData:
                k: Ag
            """.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("k: Ag", "k: A", StringComparison.Ordinal), yaml);
        Assert.EndsWith("""
              template:
                metadata:
                  annotations:
                    sealedsecrets.bitnami.com/namespace-wide: "true"
                  creationTimestamp: null
                  name: app
                  namespace: ns
                type: Opaque

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml);
    }

    [Fact]
    public void Scope_strict_does_not_override_input_annotations_but_wider_scopes_do()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var secret = TestSecrets.Make("n", "ns", ("k", [1]));
        secret.Metadata.Annotations = new(StringComparer.Ordinal) { [ScopeAnnotations.NamespaceWide] = "true" };
        var sealer = new SecretSealer(sealingKey);

        Assert.Equal(SealedSecretScope.NamespaceWide, sealer.Seal(secret, new SealOptions { Scope = SealedSecretScope.Strict }).Scope);
        var cluster = sealer.Seal(secret, new SealOptions { Scope = SealedSecretScope.ClusterWide });
        Assert.Equal(SealedSecretScope.ClusterWide, cluster.Scope);
        Assert.False(cluster.Template.Metadata.Annotations.ContainsKey(ScopeAnnotations.NamespaceWide));
    }

    [Fact]
    public void Missing_namespace_under_strict_scope_is_an_error_unless_defaulted()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var sealer = new SecretSealer(sealingKey);
        var secret = TestSecrets.Make("n", null, ("k", [1]));

        var error = Assert.Throws<InvalidFileException>(() => sealer.Seal(secret, new SealOptions()));
        Assert.Equal("Secret \"n\" has no namespace, which strict scope binds", error.Message);
        Assert.Equal("dflt", sealer.Seal(secret, new SealOptions { DefaultNamespace = "dflt" }).Metadata.Namespace);
        Assert.Null(sealer.Seal(secret, new SealOptions { Scope = SealedSecretScope.ClusterWide, DefaultNamespace = "dflt" }).Metadata.Namespace);
    }

    [Fact]
    public void Explicit_namespace_must_match_the_input()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var error = Assert.Throws<SecretsOperationException>(() =>
            new SecretSealer(sealingKey).Seal(TestSecrets.Make("n", "a", ("k", [1])), new SealOptions { Namespace = "b" }));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains("namespace mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_data_needs_allow_empty_data()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var sealer = new SecretSealer(sealingKey);
        var secret = TestSecrets.Make("n", "ns");

        Assert.Throws<InvalidFileException>(() => sealer.Seal(secret, new SealOptions()));
        Assert.Empty(sealer.Seal(secret, new SealOptions { AllowEmptyData = true }).EncryptedData);
    }

    [Fact]
    public void Not_a_secret_and_bad_base64_are_invalid_files()
    {
        var configMap = ManifestReader.ReadObjects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "cm.yaml").Single();
        var badData = ManifestReader.ReadObjects("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"data":{"k":"not base64!"}}""", "s.json").Single();

        Assert.Equal("\"cm.yaml\" holds a ConfigMap, not a v1 Secret", Assert.Throws<InvalidFileException>(() => SecretManifest.FromDocument(configMap, "cm.yaml")).Message);
        Assert.Equal("\"s.json\": data.\"k\" is not valid base64", Assert.Throws<InvalidFileException>(() => SecretManifest.FromDocument(badData, "s.json")).Message);
    }

    [Fact]
    public void Merge_into_adds_and_replaces_items_with_the_targets_name_and_scope()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        var sealer = new SecretSealer(sealingKey);
        var target = sealer.Seal(TestSecrets.Make("target", "ns", ("a", "1"u8.ToArray()), ("b", "2"u8.ToArray())), new SealOptions { Scope = SealedSecretScope.NamespaceWide });

        sealer.MergeInto(target, TestSecrets.Make("other-name", "other-ns", ("b", "22"u8.ToArray()), ("c", "3"u8.ToArray())));

        var secret = keys.Unseal(target);
        Assert.Equal(["a", "b", "c"], secret.Data.Keys);
        Assert.Equal("22", Encoding.UTF8.GetString(secret.Data["b"]));
        Assert.Equal(SealedSecretScope.NamespaceWide, target.Scope);
    }

    [Fact]
    public void Several_documents_and_concatenated_json_are_read()
    {
        Assert.Equal(3, ManifestReader.ReadObjects("---\nkind: Secret\n---\n\n---\nkind: Secret\n---\nkind: Secret\n", "y").Count);
        Assert.Equal(2, ManifestReader.ReadObjects("{\"kind\":\"Secret\"}\n{\"kind\":\"Secret\"}", "j").Count);
        Assert.Equal(2, ManifestReader.ReadObjects("{\"kind\":\"List\",\"items\":[{\"kind\":\"Secret\"},{\"kind\":\"Secret\"}]}", "l").Count);
        Assert.Single(ManifestReader.ReadObjects(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("kind: Secret\n")).ToArray(), "utf16"));
    }

    [Fact]
    public void Broken_yaml_reports_its_position()
    {
        var error = Assert.Throws<InvalidFileException>(() => ManifestReader.ReadObjects("kind: [Secret\n", "bad.yaml"));

        Assert.StartsWith("\"bad.yaml\" is not valid YAML or JSON", error.Message, StringComparison.Ordinal);
    }
}
