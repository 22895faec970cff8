using Secrets.Core;
using Secrets.ExternalSecrets.Api;
using Secrets.TestSupport;

namespace Secrets.ExternalSecrets.Tests.Api;

public sealed class ManifestTests
{
    [VectorTheory(EsoVectors.Folder)]
    [MemberData(nameof(EsoVectors.Examples), MemberType = typeof(EsoVectors))]
    public void Every_upstream_example_is_accepted(string file)
    {
        var objects = EsoManifest.ReadAll(File.ReadAllText(EsoVectors.Example(file)), file);
        Assert.NotEmpty(objects);
    }

    [VectorFact(EsoVectors.Folder)]
    public void Basic_example_gets_documented_defaults()
    {
        var es = EsoVectors.Read<ExternalSecret>("basic-external-secret.yaml");
        Assert.Equal(new StoreRef("secretstore-sample", StoreKind.SecretStore), es.Spec.SecretStoreRef);
        Assert.Equal(TimeSpan.FromHours(1), es.Spec.RefreshInterval);
        Assert.Equal(RefreshPolicy.Periodic, es.Spec.RefreshPolicy);
        Assert.Equal((CreationPolicy.Owner, DeletionPolicy.Retain, "secret-to-be-created"), (es.Spec.Target.CreationPolicy, es.Spec.Target.DeletionPolicy, es.Spec.Target.Name));
        var data = Assert.Single(es.Spec.Data);
        Assert.Equal(("secret-key-to-be-managed", "provider-key", "provider-key-version", "provider-key-property"), (data.SecretKey, data.RemoteRef.Key, data.RemoteRef.Version, data.RemoteRef.Property));
        Assert.Equal((DecodingStrategy.None, ConversionStrategy.Default, MetadataPolicy.None, NullBytePolicy.Ignore), (data.RemoteRef.DecodingStrategy, data.RemoteRef.ConversionStrategy, data.RemoteRef.MetadataPolicy, data.RemoteRef.NullBytePolicy));
        Assert.Equal("remote-key-in-the-provider", Assert.Single(es.Spec.DataFrom).Extract!.Key);
    }

    [VectorFact(EsoVectors.Folder)]
    public void Full_example_keeps_the_last_dataFrom_and_every_field()
    {
        // The upstream doc artefact repeats "dataFrom:"; like lenient YAML parsers we keep the last one (README note).
        var es = EsoVectors.Read<ExternalSecret>("full-external-secret.yaml");
        Assert.Equal("1234", es.Metadata.Annotations["acme.org/sha"]);
        Assert.Equal((CreationPolicy.Merge, DeletionPolicy.Retain), (es.Spec.Target.CreationPolicy, es.Spec.Target.DeletionPolicy));
        var template = es.Spec.Target.Template!;
        Assert.Equal(("kubernetes.io/dockerconfigjson", "v2", TemplateMergePolicy.Replace), (template.Type, template.EngineVersion, template.MergePolicy));
        Assert.Empty(template.Labels!);
        Assert.Contains("{{ .username }}", template.Data["config.yml"], StringComparison.Ordinal);
        var from = Assert.Single(template.TemplateFrom);
        Assert.Equal(("application-config-tmpl", "config.yml", TemplateScope.Values, TemplateTarget.Data), (from.ConfigMap!.Name, from.ConfigMap.Items[0].Key, from.ConfigMap.Items[0].TemplateAs, from.Target));
        Assert.Equal(new StoreRef("aws-secretstore", StoreKind.ClusterSecretStore), es.Spec.Data[0].StoreRef);
        Assert.Equal(2, es.Spec.DataFrom.Count);
        Assert.Equal(("exp-(.*?)-ression", "rewriting-${1}-with-groups"), (es.Spec.DataFrom[0].Rewrite[0].RegexpSource, es.Spec.DataFrom[0].Rewrite[0].RegexpTarget));
        Assert.Equal(DecodingStrategy.Auto, es.Spec.DataFrom[0].Extract!.DecodingStrategy);
        var find = es.Spec.DataFrom[1].Find!;
        Assert.Equal(("path-to-filter", ".*foobar.*", "bar", ConversionStrategy.Unicode, DecodingStrategy.Base64), (find.Path, find.NameRegexp, find.Tags["foo"], find.ConversionStrategy, find.DecodingStrategy));
        Assert.Equal("SecretSynced", es.Status.Conditions[0].Reason);
        Assert.Equal(new DateTimeOffset(2019, 8, 12, 12, 33, 2, TimeSpan.Zero), es.Status.RefreshTime);
    }

    [VectorFact(EsoVectors.Folder)]
    public void Full_cluster_store_lists_every_provider_and_condition()
    {
        var store = EsoVectors.Read<SecretStore>("full-cluster-secret-store.yaml");
        Assert.Equal(StoreKind.ClusterSecretStore, store.Kind);
        Assert.Equal(["aws", "gcpsm", "kubernetes", "oracle", "vault"], store.Providers.Keys);
        var e = Assert.Throws<InvalidFileException>(() => store.Provider);
        Assert.Contains("exactly one provider", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, store.Conditions.Count);
        Assert.Equal("value", store.Conditions[0].NamespaceSelector!.MatchLabels["my.namespace.io/some-label"]);
        Assert.Equal(["namespace-a", "namespace-b"], store.Conditions[1].Namespaces);
        Assert.False(store.IsReady);
        Assert.Equal("dev", store.Controller);
    }

    [Theory]
    [InlineData("refreshInterval: soon", "spec.refreshInterval is \"soon\"")]
    [InlineData("target: {creationPolicy: Sometimes}", "spec.target.creationPolicy is \"Sometimes\", expected one of Owner, Orphan, Merge, None, CreateOrMerge")]
    [InlineData("target: {creationPolicy: Merge, deletionPolicy: Delete}", "deletionPolicy=Delete requires creationPolicy=Owner")]
    [InlineData("dataFrom: [{extract: {key: a}, find: {name: {regexp: x}}}]", "spec.dataFrom[0] must set exactly one of extract, find or sourceRef.generatorRef")]
    [InlineData("data: [{secretKey: a, remoteRef: {}}]", "spec.data[0].remoteRef.key is required")]
    [InlineData("data: [{secretKey: a, remoteRef: {key: k}}, {secretKey: a, remoteRef: {key: l}}]", "has the secretKey \"a\" more than once")]
    [InlineData("target: {template: {engineVersion: v1}}", "only v2 is supported")]
    [InlineData("data: [{secretKey: a, remoteRef: {key: k, decodingStrategy: base64}}]", "spec.data[0].remoteRef.decodingStrategy is \"base64\", expected one of None, Base64, Base64URL, Auto")]
    public void Invalid_specs_are_rejected_with_the_field_path(string specLine, string fragment)
    {
        var yaml = $$"""
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: bad, namespace: apps}
            spec:
              secretStoreRef: {name: s}
              {{specLine}}
            """;
        var e = Assert.Throws<InvalidFileException>(() => EsoManifest.ReadOne<ExternalSecret>(yaml, "bad.yaml"));
        Assert.StartsWith("ExternalSecret \"apps/bad\": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V1beta1_manifests_and_json_are_accepted_and_empty_enums_mean_the_default()
    {
        var json = """{"apiVersion":"external-secrets.io/v1beta1","kind":"ExternalSecret","metadata":{"name":"j"},"spec":{"secretStoreRef":{"name":"s","kind":""},"refreshInterval":"0","target":{"creationPolicy":"","template":{"mergePolicy":""}},"data":[{"secretKey":"k","remoteRef":{"key":"r","conversionStrategy":"","decodingStrategy":""}}]}}""";
        var es = EsoManifest.ReadOne<ExternalSecret>(json, "j.json");
        Assert.Equal(StoreKind.SecretStore, es.Spec.SecretStoreRef!.Kind);
        Assert.Equal(TimeSpan.Zero, es.Spec.RefreshInterval);
        Assert.Equal(CreationPolicy.Owner, es.Spec.Target.CreationPolicy);
        Assert.Equal(("v2", TemplateMergePolicy.Replace), (es.Spec.Target.Template!.EngineVersion, es.Spec.Target.Template.MergePolicy));
    }

    [Theory]
    [InlineData("1h0m0s", 3600)]
    [InlineData("1h", 3600)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5400)]
    [InlineData("2m30s", 150)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("300ms", 0.3)]
    public void Go_durations_parse(string text, double seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), GoDuration.Parse(text));

    [Theory]
    [InlineData(3600, "1h0m0s")]
    [InlineData(300, "5m0s")]
    [InlineData(30, "30s")]
    [InlineData(0, "0s")]
    [InlineData(5430, "1h30m30s")]
    public void Go_durations_format(double seconds, string text) => Assert.Equal(text, GoDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Cluster_external_secret_parses_with_defaults()
    {
        var yaml = """
            apiVersion: external-secrets.io/v1
            kind: ClusterExternalSecret
            metadata: {name: shared}
            spec:
              namespaceSelectors: [{matchLabels: {team: a}}]
              namespaces: [extra]
              externalSecretMetadata: {labels: {l: v}}
              externalSecretSpec:
                secretStoreRef: {name: fake, kind: ClusterSecretStore}
                data: [{secretKey: k, remoteRef: {key: /foo/bar, version: v1}}]
            """;
        var ces = EsoManifest.ReadOne<ClusterExternalSecret>(yaml, "ces.yaml");
        Assert.Equal("shared", ces.ExternalSecretName);
        Assert.Equal(TimeSpan.FromMinutes(1), ces.RefreshTime);
        Assert.True(ces.Selects("x", new Dictionary<string, string> { ["team"] = "a" }));
        Assert.True(ces.Selects("extra", new Dictionary<string, string>()));
        Assert.False(ces.Selects("y", new Dictionary<string, string> { ["team"] = "b" }));
        Assert.Equal("v", ces.ExternalSecretLabels["l"]);
    }
}
