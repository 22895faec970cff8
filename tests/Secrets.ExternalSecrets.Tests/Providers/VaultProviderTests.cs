using Secrets.ExternalSecrets.Providers.Vault;
using Secrets.ExternalSecrets.Sync;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.ExternalSecrets.Tests.Providers;

/// <summary>The Vault provider over real HTTP against FakeVault: token, appRole and kubernetes auth, KV v1/v2, find, errors.</summary>
public sealed class VaultProviderTests
{
    private static async Task<(FakeVault Vault, InMemoryCluster Cluster)> StartAsync(string auth, string extra = "path: secret")
    {
        var vault = await FakeVault.StartAsync();
        vault.PutKv("secret", "app/db", new Dictionary<string, string> { ["user"] = "admin", ["pass"] = "s3cr3t", ["json"] = """{"nested":{"bar":"deep"}}""" });
        vault.PutKv("secret", "app/api", new Dictionary<string, string> { ["token"] = "t0k" });
        vault.PutKv("secret", "other/x", new Dictionary<string, string> { ["k"] = "v" });
        var cluster = new InMemoryCluster();
        cluster.AddSecret("apps", "vault-token", ("token", vault.RootToken));
        cluster.AddStore($$"""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: store, namespace: apps}
            spec:
              provider:
                vault:
                  server: "{{vault.Address}}"
                  {{extra}}
                  auth:
            {{auth}}
            """);
        return (vault, cluster);
    }

    private const string TokenAuth = "        tokenSecretRef: {name: vault-token, key: token}";

    [Fact]
    public async Task Kv2_values_properties_extract_and_find_round_trip()
    {
        var (vault, cluster) = await StartAsync(TokenAuth);
        await using var _ = vault;
        var es = InMemoryCluster.Es("""
              dataFrom:
              - find: {path: app, name: {regexp: "db|api"}}
                rewrite: [{regexp: {source: "^app/", target: "found-"}}]
              data:
              - {secretKey: user, remoteRef: {key: app/db, property: user}}
              - {secretKey: bar, remoteRef: {key: secret/app/db, property: json}}
              - {secretKey: whole, remoteRef: {key: secret/data/app/api}}
            """);

        var outcome = await cluster.SyncAsync(es, null, null, new VaultProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        var secret = outcome.Secret!;
        Assert.Equal(["bar", "found-api", "found-db", "user", "whole"], secret.Data.Keys);
        Assert.Equal(("admin", """{"token":"t0k"}"""), (InMemoryCluster.Text(secret, "user"), InMemoryCluster.Text(secret, "whole")));
        Assert.Equal("""{"nested":{"bar":"deep"}}""", InMemoryCluster.Text(secret, "bar"));
        Assert.Contains("\"pass\":\"s3cr3t\"", InMemoryCluster.Text(secret, "found-db"), StringComparison.Ordinal);
        Assert.Contains(vault.Requests, r => r.Method == "LIST");
    }

    [Fact]
    public async Task Extract_maps_every_key_and_versions_are_read()
    {
        var (vault, cluster) = await StartAsync(TokenAuth);
        await using var _ = vault;
        vault.PutKv("secret", "app/db", new Dictionary<string, string> { ["user"] = "second" });
        var es = InMemoryCluster.Es("""
              dataFrom: [{extract: {key: app/db, version: "1"}}]
              data: [{secretKey: latest, remoteRef: {key: app/db, property: user}}]
            """);

        var secret = (await cluster.SyncAsync(es, null, null, new VaultProviderFactory())).Secret!;

        Assert.Equal(("admin", "s3cr3t", "second"), (InMemoryCluster.Text(secret, "user"), InMemoryCluster.Text(secret, "pass"), InMemoryCluster.Text(secret, "latest")));
    }

    [Fact]
    public async Task AppRole_login_token_is_used_and_revoked()
    {
        var (vault, cluster) = await StartAsync("""
                    appRole:
                      roleId: role-1
                      secretRef: {name: approle, key: secret-id}
            """);
        await using var _ = vault;
        vault.AddAppRole("role-1", "sid-1", ["secret/"]);
        cluster.AddSecret("apps", "approle", ("secret-id", "sid-1"));

        var outcome = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: app/db, property: user}}]"), null, null, new VaultProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        Assert.Equal("admin", InMemoryCluster.Text(outcome.Secret!, "u"));
        Assert.Contains(vault.Requests, r => r.Path.Contains("auth/approle/login", StringComparison.Ordinal));
        Assert.Contains(vault.Requests, r => r.Path.Contains("revoke-self", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kubernetes_login_uses_a_service_account_token()
    {
        var (vault, cluster) = await StartAsync("""
                    kubernetes:
                      role: demo
                      serviceAccountRef: {name: app-sa}
            """);
        await using var _ = vault;
        vault.AddKubernetesRole("demo", "token-for-apps-app-sa", ["secret/"]);

        var outcome = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: app/db, property: user}}]"), null, null, new VaultProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        Assert.Equal("admin", InMemoryCluster.Text(outcome.Secret!, "u"));
        Assert.Equal(("apps", "app-sa", "vault"), (cluster.TokenRequests[0].Ns, cluster.TokenRequests[0].Name, cluster.TokenRequests[0].Audiences[0]));
    }

    [Fact]
    public async Task Kv1_reads_without_data_segment()
    {
        var (vault, cluster) = await StartAsync(TokenAuth, "path: kv1\n      version: v1");
        await using var _ = vault;
        vault.MountKv("kv1", version: 1);
        vault.PutKv("kv1", "cfg", new Dictionary<string, string> { ["a"] = "1" });

        var outcome = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: a, remoteRef: {key: cfg, property: a}}]"), null, null, new VaultProviderFactory());

        Assert.Equal("1", InMemoryCluster.Text(outcome.Secret!, "a"));
        Assert.Contains(vault.Requests, r => r.Path == "kv1/cfg");
    }

    [Fact]
    public async Task Missing_secret_and_denied_access_are_errors_without_values()
    {
        var (vault, cluster) = await StartAsync(TokenAuth);
        await using var _ = vault;

        var missing = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: app/none}}]"), null, null, new VaultProviderFactory());
        Assert.Equal(("SecretSyncedError", "error retrieving secret at .data[0], key: app/none, err: vault: secret \"app/none\" not found"), (missing.Status.Conditions[0].Reason, missing.EventMessage));

        vault.Faults.FailNext(1, VaultFault.PermissionDenied, r => r.Path.Contains("app/db", StringComparison.Ordinal));
        var denied = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: app/db}}]"), null, null, new VaultProviderFactory());
        Assert.True(denied.Failed);
        Assert.Contains("HTTP 403", denied.EventMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", denied.EventMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret", true, "foo", "secret/data/foo")]
    [InlineData("secret", true, "secret/foo", "secret/data/foo")]
    [InlineData("secret", true, "secret/data/foo", "secret/data/foo")]
    [InlineData(null, true, "secret/foo", "secret/data/foo")]
    [InlineData(null, true, "secret/data/foo", "secret/data/foo")]
    [InlineData("kv", false, "foo/bar", "kv/foo/bar")]
    public void Paths_follow_eso_buildPath(string? mount, bool v2, string key, string expected) =>
        Assert.Equal(expected, VaultPaths.Data(mount, v2, key));

    [Fact]
    public async Task Store_validation_reports_ready_and_errors()
    {
        var (vault, cluster) = await StartAsync(TokenAuth);
        await using var _ = vault;
        var store = cluster.Stores.Values.Single();
        await using (var provider = await cluster.ProviderAsync(new VaultProviderFactory(), store))
        {
            Assert.Equal(Secrets.ExternalSecrets.Providers.StoreValidationResult.Ready, (await provider.ValidateAsync(CancellationToken.None)).Result);
        }

        cluster.AddSecret("apps", "vault-token", ("token", "wrong"));
        await using var bad = await cluster.ProviderAsync(new VaultProviderFactory(), store);
        Assert.Equal(Secrets.ExternalSecrets.Providers.StoreValidationResult.Error, (await bad.ValidateAsync(CancellationToken.None)).Result);
        Assert.IsType<SyncException>(await Record.ExceptionAsync(() => bad.GetSecretAsync(new Secrets.ExternalSecrets.Api.RemoteRef { Key = "app/db" }, CancellationToken.None)));
    }
}
