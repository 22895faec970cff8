using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Providers.Kubernetes;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.ExternalSecrets.Tests.Providers;

/// <summary>KubernetesClient against FakeKubeApiServer: a Secret in another namespace read with a bearer token or a service account token.</summary>
public sealed class KubernetesProviderTests
{
    private const string Token = "remote-reader-token";

    private static async Task<(FakeKubeApiServer Api, InMemoryCluster Cluster)> StartAsync(string auth = "token: {bearerToken: {name: remote-token, key: token}}")
    {
        var api = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BearerToken = Token });
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "shared", ["labels"] = new JsonObject { ["team"] = "a" }, ["annotations"] = new JsonObject { ["owner"] = "ops" } },
            ["stringData"] = new JsonObject { ["user"] = "admin", ["tls.crt"] = "CERT", ["config"] = """{"port":5432,"host":"db"}""" },
        });
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "api", ["namespace"] = "shared" },
            ["stringData"] = new JsonObject { ["token"] = "t0k" },
        });
        var cluster = new InMemoryCluster { TokenFor = (_, _) => Token };
        cluster.AddSecret("apps", "remote-token", ("token", Token));
        cluster.AddStore($$"""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: store, namespace: apps}
            spec:
              provider:
                kubernetes:
                  remoteNamespace: shared
                  server: {url: "{{api.BaseAddress}}"}
                  auth: {{{auth}}}
            """);
        return (api, cluster);
    }

    [Fact]
    public async Task Data_keys_dotted_properties_metadata_extract_and_find_round_trip()
    {
        var (api, cluster) = await StartAsync();
        await using var _ = api;
        var es = InMemoryCluster.Es("""
              dataFrom:
              - extract: {key: api}
              - find: {tags: {team: a}}
              data:
              - {secretKey: crt, remoteRef: {key: db, property: tls.crt}}
              - {secretKey: port, remoteRef: {key: db, property: config.port}}
              - {secretKey: owner, remoteRef: {key: db, metadataPolicy: Fetch, property: annotations.owner}}
              - {secretKey: all, remoteRef: {key: api}}
            """);

        var outcome = await cluster.SyncAsync(es, null, null, new KubernetesProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        var secret = outcome.Secret!;
        Assert.Equal(["all", "crt", "db", "owner", "port", "token"], secret.Data.Keys);
        Assert.Equal(("CERT", "5432", "ops", """{"token":"t0k"}""", "t0k"), (InMemoryCluster.Text(secret, "crt"), InMemoryCluster.Text(secret, "port"), InMemoryCluster.Text(secret, "owner"), InMemoryCluster.Text(secret, "all"), InMemoryCluster.Text(secret, "token")));
        Assert.Contains("\"user\":\"admin\"", InMemoryCluster.Text(secret, "db"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_account_auth_uses_a_token_request()
    {
        var (api, cluster) = await StartAsync("serviceAccount: {name: reader}");
        await using var _ = api;

        var outcome = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: db, property: user}}]"), null, null, new KubernetesProviderFactory());

        Assert.Equal("admin", InMemoryCluster.Text(outcome.Secret!, "u"));
        Assert.Equal(("apps", "reader"), (cluster.TokenRequests[0].Ns, cluster.TokenRequests[0].Name));
    }

    [Fact]
    public async Task Forbidden_and_not_found_are_errors_and_validation_reports_them()
    {
        var (api, cluster) = await StartAsync();
        await using var _ = api;
        api.Faults.FailNext(1, KubeFault.WithStatus(403, "Forbidden"));
        var denied = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: db, property: user}}]"), null, null, new KubernetesProviderFactory());
        Assert.Equal("error retrieving secret at .data[0], key: db, err: kubernetes: reading secret \"shared/db\" failed: HTTP 403", denied.EventMessage);

        // GetSecret keeps NotFound an error even with deletionPolicy Delete (ESO behaviour, eso-flux.md §2.5); extract maps it to not-found.
        var missing = await cluster.SyncAsync(InMemoryCluster.Es("  target: {deletionPolicy: Delete}\n  data: [{secretKey: u, remoteRef: {key: gone}}]"), null, null, new KubernetesProviderFactory());
        Assert.True(missing.Failed);
        var extract = await cluster.SyncAsync(InMemoryCluster.Es("  target: {deletionPolicy: Delete}\n  dataFrom: [{extract: {key: gone}}]"), null, null, new KubernetesProviderFactory());
        Assert.Equal(("True", "SecretDeleted"), (extract.Status.Conditions[0].Status, extract.Status.Conditions[0].Reason));

        await using var provider = await cluster.ProviderAsync(new KubernetesProviderFactory(), cluster.Stores.Values.Single());
        Assert.Equal(Secrets.ExternalSecrets.Providers.StoreValidationResult.Ready, (await provider.ValidateAsync(CancellationToken.None)).Result);
        api.Faults.FailNext(1, KubeFault.WithStatus(403, "Forbidden"));
        Assert.Equal(Secrets.ExternalSecrets.Providers.StoreValidationResult.Error, (await provider.ValidateAsync(CancellationToken.None)).Result);
    }
}
