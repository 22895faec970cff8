using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Secrets.Controller.ExternalSecrets;
using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;
using Secrets.ExternalSecrets.Api;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.ExternalSecrets.Tests.Controller;

/// <summary>
/// The controller host started the way Program starts it (flags → <see cref="OptionsParser"/> → <see cref="ControllerHost"/>
/// with the SealedSecrets feature) against FakeKubeApiServer with the sealed-secrets and external-secrets.io CRDs:
/// with <c>--enable-external-secrets</c> an ExternalSecret on the fake provider becomes a Secret, and a manual edit of that
/// Secret is reverted through the managed-Secret watch (no refresh interval elapses: it is 1h).
/// </summary>
public sealed class ControllerHostTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new();
    private FakeKubeApiServer _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        _api.SeedYaml(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "controller", "deploy", "crd.yaml")));
        await EsoCrds.SeedAsync(_api);

        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.WriteKubeconfig(_temp.File("kubeconfig"))));
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

    private async Task<WebApplication> StartAsync(params string[] extra)
    {
        string[] args = ["--kubeconfig", _temp.File("kubeconfig"), "--listen-addr", "127.0.0.1:0", "--listen-metrics-addr", "", "--leader-elect=false", "--key-size", "2048", .. extra];
        var app = ControllerHost.Build(OptionsParser.Parse(args, _ => null), SealedSecretsFeature.Add, SealedSecretsFeature.Map);
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        using var stop = new CancellationTokenSource(Bound);
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    /// <summary>Finished ExternalSecret reconciles, whatever their outcome.</summary>
    private static double ExternalSecretReconciles(WebApplication app)
    {
        var total = app.Services.GetRequiredService<ReconcileMetrics>().Total;
        return new[] { "success", "requeue", "error" }.Sum(result => total.WithLabels("externalsecret", result).Value);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private KubeResource Resource(string plural) => EsoCrds.Resource(_api, plural);

    private static string User(JsonObject secret) => Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]?["user"]?.ToString() ?? ""));

    [Fact]
    public async Task With_the_flag_an_external_secret_becomes_a_secret_and_manual_edits_are_reverted()
    {
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: apps}
            spec:
              provider:
                fake:
                  data:
                  - {key: /db/user, value: admin}
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: web, namespace: apps}
            spec:
              refreshInterval: 1h
              secretStoreRef: {name: fake}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        var app = await StartAsync("--enable-external-secrets");
        try
        {
            var secret = await _api.WaitForAsync(KubeResource.Secrets, "apps", "web", s => User(s) == "admin", Bound);
            Assert.Equal("ExternalSecret", secret["metadata"]!["ownerReferences"]![0]!["kind"]!.ToString());
            await _api.WaitForAsync(Resource("secretstores"), "apps", "fake", s => s["status"]?["conditions"]?[0]?["status"]?.ToString() == "True", Bound);
            await _api.WaitForAsync(Resource("externalsecrets"), "apps", "web", s => s["status"]?["conditions"]?[0]?["reason"]?.ToString() == "SecretSynced", Bound);

            // A first reconcile may meet the store before it is Ready (flood gate: one error, then the store watch requeues it).
            var metrics = app.Services.GetRequiredService<ExternalSecretMetrics>();
            var errors = metrics.SyncErrors.WithLabels("web", "apps").Value;
            var calls = metrics.SyncCalls.WithLabels("web", "apps").Value;

            // A manual edit, as kubectl edit would make it, through the real API.
            var patch = new JsonObject { ["data"] = new JsonObject { ["user"] = Convert.ToBase64String("hacked"u8) } };
            await _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "web", "apps");

            await _api.WaitForAsync(KubeResource.Secrets, "apps", "web", s => User(s) == "admin", Bound);
            Assert.Contains(_api.Requests, r => r.Resource == "secrets" && r.Verb is "list" or "watch" && r.LabelSelector == ManagedSecrets.Selector);
            // The counter is bumped after the reverting write, so the write can be seen first.
            await EventuallyAsync(() => metrics.SyncCalls.WithLabels("web", "apps").Value > calls);
            Assert.Equal(1, metrics.Condition.WithLabels("web", "apps", "Ready", "True").Value);
            Assert.Equal(errors, metrics.SyncErrors.WithLabels("web", "apps").Value);

            // ESO's names and labels on the scrape endpoint, so its dashboards work (eso-flux.md §1.8).
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient();
            var text = await http.GetStringAsync(new Uri(address + "/metrics"));
            Assert.Matches("(?m)^externalsecret_sync_calls_total\\{name=\"web\",namespace=\"apps\"\\} [1-9]", text);
            Assert.Matches("(?m)^externalsecret_sync_calls_error\\{name=\"web\",namespace=\"apps\"\\} [0-9]", text);
            Assert.Contains("externalsecret_status_condition{name=\"web\",namespace=\"apps\",condition=\"Ready\",status=\"True\"} 1", text, StringComparison.Ordinal);
            Assert.Contains("externalsecret_status_condition{name=\"web\",namespace=\"apps\",condition=\"Ready\",status=\"False\"} 0", text, StringComparison.Ordinal);
            // Nanoseconds, like the Go time.Duration ESO sets: a reconcile over HTTP takes well over 1 µs.
            Assert.Matches("(?m)^externalsecret_reconcile_duration\\{name=\"web\",namespace=\"apps\"\\} [0-9]{4,}", text);
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task A_store_change_requeues_the_external_secrets_that_use_it_at_once()
    {
        // Another controller class: the ExternalSecret is skipped and not requeued (refreshInterval 1h), so only the store
        // watch can bring it back when the store is handed to this controller.
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: apps}
            spec:
              controller: other
              provider: {fake: {data: [{key: /db/user, value: admin}]}}
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: web, namespace: apps}
            spec:
              refreshInterval: 1h
              secretStoreRef: {name: fake}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: unrelated, namespace: apps}
            spec:
              refreshInterval: 1h
              secretStoreRef: {name: elsewhere}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        var app = await StartAsync("--enable-external-secrets");
        try
        {
            await EventuallyAsync(() => ExternalSecretReconciles(app) >= 2);
            var before = ExternalSecretReconciles(app);
            Assert.Null(_api.Get(KubeResource.Secrets, "apps", "web"));

            _api.Update(Resource("secretstores"), "apps", "fake", s => s["spec"]!.AsObject().Remove("controller"));

            await _api.WaitForAsync(KubeResource.Secrets, "apps", "web", s => User(s) == "admin", Bound);
            var index = app.Services.GetRequiredService<StoreReferences>();
            Assert.Equal([new("apps", "web")], index.Users(StoreKind.SecretStore, "apps", "fake"));
            Assert.Equal([new("apps", "unrelated")], index.Users(StoreKind.SecretStore, "apps", "elsewhere"));
            await EventuallyAsync(() => ExternalSecretReconciles(app) > before);
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Controller_class_flag_serves_the_stores_of_that_class_only()
    {
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: mine, namespace: apps}
            spec:
              controller: team-a
              provider: {fake: {data: [{key: /db/user, value: admin}]}}
            ---
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: theirs, namespace: apps}
            spec:
              controller: default
              provider: {fake: {data: [{key: /db/user, value: root}]}}
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: web, namespace: apps}
            spec:
              secretStoreRef: {name: mine}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: other, namespace: apps}
            spec:
              secretStoreRef: {name: theirs}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        var app = await StartAsync("--enable-external-secrets", "--controller-class", "team-a");
        try
        {
            await _api.WaitForAsync(KubeResource.Secrets, "apps", "web", s => User(s) == "admin", Bound);
            await EventuallyAsync(() => ExternalSecretReconciles(app) >= 2);
            Assert.Null(_api.Get(KubeResource.Secrets, "apps", "other"));
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task Without_the_flag_no_external_secrets_controller_runs()
    {
        _api.SeedYaml("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: apps}
            spec: {provider: {fake: {data: [{key: /db/user, value: admin}]}}}
            """);
        var app = await StartAsync();
        try
        {
            Assert.Null(app.Services.GetService<ExternalSecretMetrics>());
            await _api.WaitUntilAsync(api => api.Requests.Any(r => r.Resource == "sealedsecrets"), Bound);
            Assert.DoesNotContain(_api.Requests, r => r.Resource is "externalsecrets" or "secretstores" or "clustersecretstores" or "clusterexternalsecrets");
        }
        finally
        {
            await StopAsync(app);
        }
    }
}
