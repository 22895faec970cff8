using System.Text;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;
using Secrets.TestSupport;

namespace Secrets.ExternalSecrets.Tests.Sync;

/// <summary>The pure sync against the fake provider: upstream examples with their documented results, policies, errors.</summary>
public sealed class FakeProviderSyncTests
{
    private const string Store = """
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: fake, namespace: apps}
        spec:
          provider:
            fake:
              data:
              - {key: /db/user, value: admin}
              - {key: /db/pass, value: czNjcjN0}
              - {key: /db/json, value: '{"user":"u1","pass":"p1","port":5432,"nested":{"a":"b"}}'}
              - {key: /app/one, value: "1", version: v1}
              - {key: /app/one, value: "2", version: v2}
              - {key: /app/two, value: two}
              - {key: /other, value: x}
        """;

    private static ExternalSecret Es(string spec, string metadataExtra = "") => EsoManifest.ReadOne<ExternalSecret>($$"""
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: web, namespace: apps, uid: es-uid, generation: 1{{metadataExtra}}}
        spec:
          secretStoreRef: {name: fake}
        {{spec}}
        """, "es.yaml");

    private static InMemoryCluster Cluster()
    {
        var cluster = new InMemoryCluster();
        cluster.AddStore(Store);
        return cluster;
    }

    private static string Text(KubeSecret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    [VectorFact(EsoVectors.Folder)]
    public async Task Upstream_fake_provider_example_yields_the_documented_secret()
    {
        var cluster = new InMemoryCluster();
        cluster.AddStore(File.ReadAllText(EsoVectors.Example("fake-provider-store.yaml")));
        var es = EsoVectors.Read<ExternalSecret>("fake-provider-es.yaml") with { Metadata = new ObjectMeta { Name = "example", Namespace = "default", Uid = "u1", Generation = 1 } };

        var outcome = await cluster.SyncAsync(es, existing: null);

        Assert.Equal(SecretWrite.Create, outcome.Write);
        var secret = outcome.Secret!;
        Assert.Equal(("secret-to-be-created", "default", "Opaque"), (secret.Name, secret.Namespace, secret.Type));
        Assert.Equal(["foo_bar", "john"], secret.Data.Keys);
        Assert.Equal(("HELLO1", "doe"), (Text(secret, "foo_bar"), Text(secret, "john")));
        Assert.Equal("true", secret.Labels[EsoMetadata.ManagedLabel]);
        Assert.Equal(EsoHash.CreatedBy("default", "example"), secret.Labels[EsoMetadata.CreatedByLabel]);
        Assert.Equal(EsoHash.DataHash(secret.Data), secret.Annotations[EsoMetadata.DataHashAnnotation]);
        Assert.Equal(new OwnerReference("external-secrets.io/v1", "ExternalSecret", "example", "u1", true), Assert.Single(secret.OwnerReferences));
        var ready = Assert.Single(outcome.Status.Conditions);
        Assert.Equal(("Ready", "True", "SecretSynced", "secret synced"), (ready.Type, ready.Status, ready.Reason, ready.Message));
        Assert.Equal(RefreshDecision.CurrentResourceVersion(es), outcome.Status.SyncedResourceVersion);
        Assert.Equal(TimeSpan.FromHours(1), outcome.RequeueAfter);
    }

    [VectorFact(EsoVectors.Folder)]
    public async Task Upstream_merge_template_example_keeps_provider_keys_and_overrides_password()
    {
        var cluster = new InMemoryCluster();
        cluster.AddStore("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: default}
            spec:
              provider:
                fake:
                  data:
                  - {key: /credentials/password, value: cGFzc3dvcmQ=}
                  - {key: /credentials/username, value: bob}
            """);
        var es = EsoVectors.Read<ExternalSecret>("merge-template-v2-external-secret.yaml");
        es = es with { Metadata = es.Metadata with { Namespace = "default" }, Spec = es.Spec with { SecretStoreRef = new StoreRef("fake", StoreKind.SecretStore) } };

        var secret = (await cluster.SyncAsync(es, null)).Secret!;

        Assert.Equal(("admin", "password", "bob"), (Text(secret, "name"), Text(secret, "password"), Text(secret, "username")));
    }

    [Fact]
    public async Task DataFrom_runs_first_and_data_overrides_with_decoding_and_properties()
    {
        var es = Es("""
              dataFrom:
              - extract: {key: /db/json}
              - find: {name: {regexp: "^/app/"}}
              data:
              - {secretKey: user, remoteRef: {key: /db/user}}
              - {secretKey: pass, remoteRef: {key: /db/pass, decodingStrategy: Base64}}
              - {secretKey: port, remoteRef: {key: /db/json, property: port}}
            """);

        var secret = (await Cluster().SyncAsync(es, null)).Secret!;

        Assert.Equal(["_app_one", "_app_two", "nested", "pass", "port", "user"], secret.Data.Keys);
        Assert.Equal(("admin", "s3cr3t", "5432", """{"a":"b"}""", "2"), (Text(secret, "user"), Text(secret, "pass"), Text(secret, "port"), Text(secret, "nested"), Text(secret, "_app_one")));
    }

    [Fact]
    public async Task Rewrite_regexp_and_transform_replace_key_conversion()
    {
        var es = Es("""
              dataFrom:
              - find: {name: {regexp: "^/app/"}}
                rewrite:
                - regexp: {source: "^/app/(.*)", target: "app-${1}"}
                - transform: {template: "{{ .value | upper }}"}
            """);

        var secret = (await Cluster().SyncAsync(es, null)).Secret!;

        Assert.Equal(["APP-ONE", "APP-TWO"], secret.Data.Keys);
    }

    [Fact]
    public async Task Rewrite_leaving_invalid_keys_is_an_error()
    {
        var es = Es("""
              dataFrom:
              - find: {name: {regexp: "^/app/"}}
                rewrite: [{regexp: {source: "^/", target: "x/"}}]
            """);

        var outcome = await Cluster().SyncAsync(es, null);

        Assert.True(outcome.Failed);
        Assert.Contains("invalid secret keys", outcome.EventMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_data_labels_annotations_and_templateFrom_render_in_eso_order()
    {
        var cluster = Cluster();
        cluster.ConfigMaps[("apps", "tmpl")] = new Dictionary<string, string>
        {
            ["config.yml"] = "user: {{ .user }}",
            ["extra"] = "a: \"{{ .user | upper }}\"\nb: fixed",
        };
        var es = Es("""
              target:
                template:
                  type: kubernetes.io/basic-auth
                  metadata:
                    labels: {app: "{{ .user }}"}
                    annotations: {note: static}
                  data:
                    username: "{{ .user }}"
                    config.yml: "overridden {{ .user }}"
                  templateFrom:
                  - configMap:
                      name: tmpl
                      items: [{key: config.yml}, {key: extra, templateAs: KeysAndValues}]
                  - literal: "lit: {{ .pass | b64dec }}"
                  - target: Annotations
                    literal: "from-literal: yes"
              data:
              - {secretKey: user, remoteRef: {key: /db/user}}
              - {secretKey: pass, remoteRef: {key: /db/pass}}
            """, ", labels: {es-label: x}");

        var secret = (await cluster.SyncAsync(es, null)).Secret!;

        Assert.Equal("kubernetes.io/basic-auth", secret.Type);
        Assert.Equal(["a", "b", "config.yml", "lit", "username"], secret.Data.Keys);
        Assert.Equal(("overridden admin", "ADMIN", "s3cr3t"), (Text(secret, "config.yml"), Text(secret, "a"), Text(secret, "lit")));
        Assert.Equal("admin", secret.Labels["app"]);
        Assert.False(secret.Labels.ContainsKey("es-label"));
        Assert.Equal(("static", "yes"), (secret.Annotations["note"], secret.Annotations["from-literal"]));
    }

    [Fact]
    public async Task Without_template_es_metadata_is_copied()
    {
        var es = Es("  data: [{secretKey: u, remoteRef: {key: /db/user}}]", ", labels: {team: a}, annotations: {note: n}");
        var secret = (await Cluster().SyncAsync(es, null)).Secret!;
        Assert.Equal(("a", "n"), (secret.Labels["team"], secret.Annotations["note"]));
    }

    [Fact]
    public async Task Missing_key_is_SecretSyncedError_with_a_generic_condition_and_a_detailed_event()
    {
        var es = Es("  data: [{secretKey: u, remoteRef: {key: /db/missing}}]");
        var existing = new KubeSecret { Name = "web", Namespace = "apps", Data = new(StringComparer.Ordinal) { ["u"] = "old"u8.ToArray() } };

        var outcome = await Cluster().SyncAsync(es, existing);

        Assert.True(outcome.Failed);
        Assert.Equal(SecretWrite.None, outcome.Write);
        var ready = Assert.Single(outcome.Status.Conditions);
        Assert.Equal(("False", "SecretSyncedError", "could not get secret data from provider"), (ready.Status, ready.Reason, ready.Message));
        Assert.Null(outcome.Status.RefreshTime);
        Assert.Equal("error retrieving secret at .data[0], key: /db/missing, err: fake: secret \"/db/missing\" not found", outcome.EventMessage);
        Assert.True(outcome.EventIsWarning);
    }

    [Fact]
    public async Task Template_errors_never_leak_values()
    {
        var es = Es("""
              target: {template: {data: {x: "{{ .pass }}{{ .absent }}"}}}
              data: [{secretKey: pass, remoteRef: {key: /db/pass}}]
            """);
        var outcome = await Cluster().SyncAsync(es, null);
        Assert.True(outcome.Failed);
        Assert.Contains("map has no entry for key \"absent\"", outcome.EventMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("czNjcjN0", outcome.EventMessage, StringComparison.Ordinal);
        Assert.Equal("could not update secret", outcome.Status.Conditions[0].Message);
    }

    [Fact]
    public async Task Unknown_template_function_fails_naming_it()
    {
        var es = Es("""
              target: {template: {data: {x: "{{ .pass | rot13 }}"}}}
              data: [{secretKey: pass, remoteRef: {key: /db/pass}}]
            """);
        var outcome = await Cluster().SyncAsync(es, null);
        Assert.Equal("template: x:1: function \"rot13\" not defined", outcome.EventMessage);
    }

    [Theory]
    [InlineData(DeletionPolicy.Delete, SecretWrite.Delete, "SecretDeleted")]
    [InlineData(DeletionPolicy.Retain, SecretWrite.None, "SecretSynced")]
    public async Task Provider_data_gone_applies_the_deletion_policy(DeletionPolicy policy, SecretWrite write, string reason)
    {
        var es = Es($"  target: {{deletionPolicy: {policy}}}\n" + """
              dataFrom: [{find: {name: {regexp: "^/nothing-matches"}}}]
            """);
        var existing = new KubeSecret { Name = "web", Namespace = "apps", OwnerReferences = [new OwnerReference("external-secrets.io/v1", "ExternalSecret", "web", "es-uid", true)] };

        var outcome = await Cluster().SyncAsync(es, existing);

        Assert.Equal((write, reason, "True"), (outcome.Write, outcome.Status.Conditions[0].Reason, outcome.Status.Conditions[0].Status));
    }

    [Fact]
    public async Task Not_found_is_skipped_unless_retain()
    {
        var es = Es("""
              target: {deletionPolicy: Merge}
              data:
              - {secretKey: u, remoteRef: {key: /db/user}}
              - {secretKey: gone, remoteRef: {key: /db/gone}}
            """);
        var outcome = await Cluster().SyncAsync(es, null);
        Assert.Equal(["u"], outcome.Secret!.Data.Keys);
    }

    [Fact]
    public async Task Creation_policies_decide_the_write()
    {
        var cluster = Cluster();
        const string data = "  data: [{secretKey: u, remoteRef: {key: /db/user}}]";
        var merge = await cluster.SyncAsync(Es("  target: {creationPolicy: Merge}\n" + data), null);
        Assert.Equal((SecretWrite.None, "SecretMissing"), (merge.Write, merge.Status.Conditions[0].Reason));

        var existing = new KubeSecret { Name = "web", Namespace = "apps", Labels = new(StringComparer.Ordinal) { ["keep"] = "me" }, Data = new(StringComparer.Ordinal) { ["other"] = "o"u8.ToArray() } };
        var merged = await cluster.SyncAsync(Es("  target: {creationPolicy: Merge}\n" + data), existing);
        Assert.Equal(SecretWrite.Update, merged.Write);
        Assert.Equal(["other", "u"], merged.Secret!.Data.Keys);
        Assert.Empty(merged.Secret.OwnerReferences);
        Assert.Equal("me", merged.Secret.Labels["keep"]);

        var orphan = await cluster.SyncAsync(Es("  target: {creationPolicy: Orphan}\n" + data), existing);
        Assert.Equal(["u"], orphan.Secret!.Data.Keys);
        Assert.Empty(orphan.Secret.OwnerReferences);

        var none = await cluster.SyncAsync(Es("  target: {creationPolicy: None}\n" + data), null);
        Assert.Equal((SecretWrite.None, "SecretSynced"), (none.Write, none.Status.Conditions[0].Reason));

        var foreign = existing with { OwnerReferences = [new OwnerReference("external-secrets.io/v1", "ExternalSecret", "other", "other-uid", true)] };
        var owned = await cluster.SyncAsync(Es(data), foreign);
        Assert.Equal((true, "target is owned by another ExternalSecret"), (owned.Failed, owned.Status.Conditions[0].Message));
    }

    [Fact]
    public async Task Immutable_target_is_not_rewritten()
    {
        var es = Es("  target: {immutable: true}\n  data: [{secretKey: u, remoteRef: {key: /db/user}}]");
        var created = (await Cluster().SyncAsync(es, null)).Secret!;
        Assert.True(created.Immutable);

        var changed = created with { Data = new(StringComparer.Ordinal) { ["u"] = "edited"u8.ToArray() }, Annotations = new(StringComparer.Ordinal) };
        var outcome = await Cluster().SyncAsync(es, changed);
        Assert.Equal((true, true, "could not update secret, target is immutable"), (outcome.Failed, outcome.Permanent, outcome.Status.Conditions[0].Message));
    }

    [Fact]
    public async Task Refresh_is_skipped_while_fresh_and_redone_on_drift_or_force_sync()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cluster = Cluster();
        var es = Es("  refreshInterval: 10m\n  data: [{secretKey: u, remoteRef: {key: /db/user}}]");
        var first = await cluster.SyncAsync(es, null, clock);
        var synced = es with { Status = first.Status };
        var secret = first.Secret!;

        clock.Advance(TimeSpan.FromMinutes(4));
        var fresh = await cluster.SyncAsync(synced, secret, clock);
        Assert.True(fresh.Skipped);
        Assert.Equal(TimeSpan.FromMinutes(6), fresh.RequeueAfter);

        var drifted = await cluster.SyncAsync(synced, secret with { Data = new(StringComparer.Ordinal) { ["u"] = "manual"u8.ToArray() } }, clock);
        Assert.False(drifted.Skipped);
        Assert.Equal("admin", Text(drifted.Secret!, "u"));

        var forced = synced with { Metadata = synced.Metadata with { Annotations = new Dictionary<string, string> { [EsoMetadata.ForceSyncAnnotation] = "1" } } };
        Assert.False((await cluster.SyncAsync(forced, secret, clock)).Skipped);

        clock.Advance(TimeSpan.FromMinutes(7));
        var due = await cluster.SyncAsync(synced, secret, clock);
        Assert.False(due.Skipped);
        Assert.Equal(SecretWrite.None, due.Write);
    }

    [Theory]
    [InlineData(RefreshPolicy.CreatedOnce, false, false)]
    [InlineData(RefreshPolicy.OnChange, false, true)]
    [InlineData(RefreshPolicy.Periodic, true, true)]
    public void Refresh_policies(RefreshPolicy policy, bool refreshAfterInterval, bool refreshOnMetadataChange)
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var es = Es("  refreshInterval: 1m\n  data: [{secretKey: u, remoteRef: {key: k}}]") with { Spec = Es("  data: [{secretKey: u, remoteRef: {key: k}}]").Spec with { RefreshPolicy = policy, RefreshInterval = TimeSpan.FromMinutes(1) } };
        var synced = es with { Status = new ExternalSecretStatus { RefreshTime = now - TimeSpan.FromMinutes(5), SyncedResourceVersion = RefreshDecision.CurrentResourceVersion(es) } };
        var relabelled = synced with { Metadata = synced.Metadata with { Labels = new Dictionary<string, string> { ["x"] = "y" } } };

        Assert.True(RefreshDecision.ShouldRefresh(es, now));
        Assert.Equal(refreshAfterInterval, RefreshDecision.ShouldRefresh(synced, now));
        Assert.Equal(refreshOnMetadataChange, RefreshDecision.ShouldRefresh(relabelled, now));
    }

    [Fact]
    public void Zero_interval_syncs_once()
    {
        var es = Es("  refreshInterval: 0s\n  data: [{secretKey: u, remoteRef: {key: k}}]");
        var synced = es with { Status = new ExternalSecretStatus { RefreshTime = DateTimeOffset.UnixEpoch, SyncedResourceVersion = "1-x" } };
        Assert.False(RefreshDecision.ShouldRefresh(synced, DateTimeOffset.UtcNow));
        Assert.Null(RefreshDecision.RequeueAfter(synced, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Cluster_store_conditions_and_flood_gate_gate_the_sync()
    {
        var cluster = new InMemoryCluster();
        cluster.AddStore("""
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: shared}
            spec:
              conditions:
              - namespaceSelector: {matchLabels: {team: a}}
              - namespaces: [apps]
              - namespaceRegexes: ["^dev-"]
              provider: {fake: {data: [{key: k, value: v}]}}
            """);
        cluster.AddStore("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: broken, namespace: other}
            spec: {provider: {fake: {data: []}}}
            """, ready: false);
        ExternalSecret In(string ns, string store = "shared", string kind = "ClusterSecretStore") => EsoManifest.ReadOne<ExternalSecret>($$$"""
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: e, namespace: {{{ns}}}}
            spec:
              secretStoreRef: {name: {{{store}}}, kind: {{{kind}}}}
              data: [{secretKey: k, remoteRef: {key: k}}]
            """, "e");
        cluster.NamespaceLabels["labelled"] = new Dictionary<string, string> { ["team"] = "a" };

        Assert.False((await cluster.SyncAsync(In("apps"), null)).Failed);
        Assert.False((await cluster.SyncAsync(In("labelled"), null)).Failed);
        Assert.False((await cluster.SyncAsync(In("dev-1"), null)).Failed);
        var denied = await cluster.SyncAsync(In("prod"), null);
        Assert.Equal("error retrieving secret at .data[0], key: k, err: using cluster store \"shared\" is not allowed from namespace \"prod\": denied by spec.condition", denied.EventMessage);
        var notReady = await cluster.SyncAsync(In("other", "broken", "SecretStore"), null);
        Assert.Contains("SecretStore \"broken\" is not ready", notReady.EventMessage, StringComparison.Ordinal);
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
