using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Secrets.Controller.ExternalSecrets;
using Secrets.Controller.Framework;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Providers.Fake;
using Secrets.ExternalSecrets.Sync;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.ExternalSecrets.Tests.Controller;

/// <summary>
/// The ExternalSecret and SecretStore reconcilers end to end through FakeKubeApiServer and the real KubernetesClient,
/// with the project's CRDs (controller/deploy/external-secrets/crds) registered.
/// </summary>
public sealed class ExternalSecretControllerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private FakeKubeApiServer _api = null!;
    private k8s.Kubernetes _client = null!;
    private ExternalSecretReconciler _es = null!;
    private SecretStoreReconciler _stores = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        await EsoCrds.SeedAsync(_api);

        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.WriteKubeconfig(_temp.File("kubeconfig"))));
        var events = new EventRecorder(_client, "external-secrets", NullLogger<EventRecorder>.Instance);
        var registry = new ProviderRegistry([new FakeProviderFactory()]);
        _es = new ExternalSecretReconciler(_client, events, registry, new StoreResolutionOptions(), NullLogger<ExternalSecretReconciler>.Instance);
        _stores = new SecretStoreReconciler(_client, events, registry, new StoreResolutionOptions());
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: apps}
            spec:
              provider:
                fake:
                  data:
                  - {key: /db/user, value: admin}
                  - {key: /db/json, value: '{"host":"db","port":"5432"}'}
            """);
    }

    public async Task DisposeAsync()
    {
        Dispose();
        await _api.DisposeAsync();
    }

    public void Dispose()
    {
        _client?.Dispose();
        _temp.Dispose();
    }

    private KubeResource Resource(string plural) => EsoCrds.Resource(_api, plural);

    private Task<V1ExternalSecret> GetEsAsync(string name) =>
        _client.CustomObjects.GetNamespacedCustomObjectAsync<V1ExternalSecret>(ApiGroup.Group, ApiGroup.Version, "apps", V1ExternalSecret.Plural, name);

    private async Task<ReconcileResult> ReconcileStoreAsync() =>
        await _stores.ReconcileAsync(await _client.CustomObjects.GetNamespacedCustomObjectAsync<V1SecretStore>(ApiGroup.Group, ApiGroup.Version, "apps", V1SecretStore.Plural, "fake"), CancellationToken.None);

    private void SeedEs(string name, string spec) => _api.SeedYaml($"""
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: {name}
          namespace: apps
        spec:
          refreshInterval: 1h
          secretStoreRef:
            name: fake
        {spec}
        """);

    private static string Condition(JsonObject? obj, string field) => obj?["status"]?["conditions"]?[0]?[field]?.ToString() ?? "";

    [Fact]
    public async Task Store_becomes_ready_then_the_external_secret_creates_its_owned_secret_and_status()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), (await ReconcileStoreAsync()).RequeueAfter);
        var store = _api.Get(Resource("secretstores"), "apps", "fake");
        Assert.Equal(("True", "Valid", "store validated"), (Condition(store, "status"), Condition(store, "reason"), Condition(store, "message")));

        SeedEs("web", """
              dataFrom: [{extract: {key: /db/json}}]
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        var result = await _es.ReconcileAsync(await GetEsAsync("web"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(1), result.RequeueAfter);
        var secret = await _client.CoreV1.ReadNamespacedSecretAsync("web", "apps");
        Assert.Equal(["host", "port", "user"], secret.Data.Keys.Order());
        Assert.Equal("admin", Encoding.UTF8.GetString(secret.Data["user"]));
        Assert.Equal("true", secret.Metadata.Labels[EsoMetadata.ManagedLabel]);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(("ExternalSecret", "web", true), (owner.Kind, owner.Name, owner.Controller));
        var es = _api.Get(Resource("externalsecrets"), "apps", "web")!;
        Assert.Equal(("True", "SecretSynced", "secret synced"), (Condition(es, "status"), Condition(es, "reason"), Condition(es, "message")));
        Assert.Equal("web", es["status"]!["binding"]!["name"]!.ToString());
        Assert.Contains(EsoMetadata.Finalizer, es["metadata"]!["finalizers"]!.AsArray().Select(f => f!.ToString()));

        // A second pass with the fresh status writes nothing.
        _api.ClearRequests();
        await _es.ReconcileAsync(await GetEsAsync("web"), CancellationToken.None);
        Assert.DoesNotContain(_api.Requests, r => r.Verb is "update" or "create" or "patch");
    }

    [Fact]
    public async Task Manual_edits_of_the_secret_are_reverted()
    {
        await ReconcileStoreAsync();
        SeedEs("web", "  data: [{secretKey: user, remoteRef: {key: /db/user}}]");
        await _es.ReconcileAsync(await GetEsAsync("web"), CancellationToken.None);
        _api.Update(Resource("secrets"), "apps", "web", s => s["data"]!["user"] = Convert.ToBase64String("hacked"u8));

        await _es.ReconcileAsync(await GetEsAsync("web"), CancellationToken.None);

        Assert.Equal("admin", Encoding.UTF8.GetString((await _client.CoreV1.ReadNamespacedSecretAsync("web", "apps")).Data["user"]));
    }

    [Fact]
    public async Task Provider_errors_set_SecretSyncedError_leave_the_secret_and_emit_a_warning_event()
    {
        await ReconcileStoreAsync();
        SeedEs("broken", "  data: [{secretKey: x, remoteRef: {key: /db/missing}}]");

        var result = await _es.ReconcileAsync(await GetEsAsync("broken"), CancellationToken.None);

        Assert.True(result.IsFailure);
        var es = _api.Get(Resource("externalsecrets"), "apps", "broken")!;
        Assert.Equal(("False", "SecretSyncedError", "could not get secret data from provider"), (Condition(es, "status"), Condition(es, "reason"), Condition(es, "message")));
        Assert.Null(_api.Get(Resource("secrets"), "apps", "broken"));
        var warning = _api.List(Resource("events"), "apps").First(e => e["reason"]?.ToString() == "UpdateFailed" && e["involvedObject"]?["name"]?.ToString() == "broken");
        Assert.Equal(("Warning", "error retrieving secret at .data[0], key: /db/missing, err: fake: secret \"/db/missing\" not found"), (warning["type"]!.ToString(), warning["message"]!.ToString()));
    }

    [Fact]
    public async Task Unready_store_blocks_the_sync_by_the_flood_gate()
    {
        SeedEs("early", "  data: [{secretKey: user, remoteRef: {key: /db/user}}]");
        var result = await _es.ReconcileAsync(await GetEsAsync("early"), CancellationToken.None);
        Assert.True(result.IsFailure);
        Assert.Contains("SecretStore \"fake\" is not ready", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_with_deletionPolicy_Delete_removes_the_secret_and_the_finalizer()
    {
        await ReconcileStoreAsync();
        SeedEs("temp", "  target: {deletionPolicy: Delete}\n  data: [{secretKey: user, remoteRef: {key: /db/user}}]");
        await _es.ReconcileAsync(await GetEsAsync("temp"), CancellationToken.None);
        Assert.NotNull(_api.Get(Resource("secrets"), "apps", "temp"));

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, "apps", V1ExternalSecret.Plural, "temp");
        await _es.ReconcileAsync(await GetEsAsync("temp"), CancellationToken.None);

        Assert.Null(_api.Get(Resource("secrets"), "apps", "temp"));
        Assert.Null(_api.Get(Resource("externalsecrets"), "apps", "temp"));
    }

    [Fact]
    public async Task Invalid_store_reports_InvalidProviderConfig()
    {
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: nothing, namespace: apps}
            spec: {provider: {gcpsm: {projectID: p}}}
            """);
        var store = await _client.CustomObjects.GetNamespacedCustomObjectAsync<V1SecretStore>(ApiGroup.Group, ApiGroup.Version, "apps", V1SecretStore.Plural, "nothing");

        var result = await _stores.ReconcileAsync(store, CancellationToken.None);

        Assert.True(result.IsFailure);
        var stored = _api.Get(Resource("secretstores"), "apps", "nothing");
        Assert.Equal(("False", "InvalidProviderConfig", "unable to create client"), (Condition(stored, "status"), Condition(stored, "reason"), Condition(stored, "message")));
    }

    [Fact]
    public async Task Cluster_external_secret_provisions_selected_namespaces_and_removes_deselected_ones()
    {
        foreach (var (ns, team) in new[] { ("team-a", "a"), ("team-b", "b"), ("other", "c") })
        {
            _api.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["team"] = team } } });
        }

        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: ClusterExternalSecret
            metadata: {name: shared}
            spec:
              externalSecretName: shared-es
              externalSecretMetadata: {labels: {from: ces}}
              namespaceSelectors: [{matchExpressions: [{key: team, operator: In, values: [a, b]}]}]
              externalSecretSpec:
                secretStoreRef: {name: fake}
                data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        var reconciler = new ClusterExternalSecretReconciler(_client, new EventRecorder(_client, "external-secrets", NullLogger<EventRecorder>.Instance));
        Task<V1ClusterExternalSecret> Get() => _client.CustomObjects.GetClusterCustomObjectAsync<V1ClusterExternalSecret>(ApiGroup.Group, ApiGroup.Version, V1ClusterExternalSecret.Plural, "shared");

        Assert.Equal(TimeSpan.FromMinutes(1), (await reconciler.ReconcileAsync(await Get(), CancellationToken.None)).RequeueAfter);

        var es = _api.Get(Resource("externalsecrets"), "team-a", "shared-es")!;
        Assert.Equal("ces", es["metadata"]!["labels"]!["from"]!.ToString());
        Assert.Equal("ClusterExternalSecret", es["metadata"]!["ownerReferences"]![0]!["kind"]!.ToString());
        Assert.NotNull(_api.Get(Resource("externalsecrets"), "team-b", "shared-es"));
        Assert.Null(_api.Get(Resource("externalsecrets"), "other", "shared-es"));
        var status = _api.Get(Resource("clusterexternalsecrets"), null, "shared")!["status"]!;
        Assert.Equal(["team-a", "team-b"], status["provisionedNamespaces"]!.AsArray().Select(n => n!.ToString()));

        _api.Update(Resource("namespaces"), null, "team-b", n => n["metadata"]!["labels"]!["team"] = "z");
        await reconciler.ReconcileAsync(await Get(), CancellationToken.None);
        Assert.Null(_api.Get(Resource("externalsecrets"), "team-b", "shared-es"));
        Assert.NotNull(_api.Get(Resource("externalsecrets"), "team-a", "shared-es"));
    }
}
