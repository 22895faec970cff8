using Secrets.ExternalSecrets.Providers.AzureKeyVault;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.ExternalSecrets.Tests.Providers;

/// <summary>
/// Azure.Security.KeyVault.Secrets + Azure.Identity ClientSecretCredential against FakeKeyVault over https (401
/// challenge, Entra token endpoint). The authority is the fake via ESO's own AzureStackCloud customCloudConfig.
/// </summary>
public sealed class AzureKeyVaultProviderTests
{
    private static async Task<(FakeKeyVault Vault, InMemoryCluster Cluster)> StartAsync(string authType = "")
    {
        var vault = await FakeKeyVault.StartAsync();
        vault.SetSecret("database-username", "admin");
        vault.SetSecret("database-password", "old");
        vault.SetSecret("database-password", "s3cr3t");
        vault.SetSecret("database-credentials", """{"user":"u","pass":"p","a.b":"lit"}""", tags: new Dictionary<string, string> { ["environment"] = "prod" });
        vault.SetSecret("disabled-one", "x", tags: new Dictionary<string, string> { ["environment"] = "prod" }, enabled: false);
        var cluster = new InMemoryCluster { HttpHandlerFactory = vault.CreateTrustingHandler };
        cluster.AddSecret("apps", "azure-secret-sp", ("ClientID", vault.ClientSecret.ClientId), ("ClientSecret", vault.ClientSecret.Secret));
        cluster.AddStore($$"""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: store, namespace: apps}
            spec:
              provider:
                azurekv:
                  tenantId: "{{vault.TenantId}}"
                  vaultUrl: "{{vault.VaultUri}}"
                  {{authType}}
                  environmentType: AzureStackCloud
                  customCloudConfig: {activeDirectoryEndpoint: "{{vault.AuthorityHost}}"}
                  authSecretRef:
                    clientId: {name: azure-secret-sp, key: ClientID}
                    clientSecret: {name: azure-secret-sp, key: ClientSecret}
            """);
        return (vault, cluster);
    }

    [Fact]
    public async Task Secrets_properties_tags_extract_and_find_round_trip_through_the_sdk()
    {
        var (vault, cluster) = await StartAsync();
        await using var _ = vault;
        var es = InMemoryCluster.Es("""
              dataFrom:
              - extract: {key: secret/database-credentials}
              - find: {tags: {environment: prod}}
                rewrite: [{regexp: {source: "^", target: "found-"}}]
              data:
              - {secretKey: username, remoteRef: {key: database-username}}
              - {secretKey: password, remoteRef: {key: secret/database-password}}
              - {secretKey: tags, remoteRef: {key: database-credentials, metadataPolicy: Fetch}}
              - {secretKey: env, remoteRef: {key: database-credentials, metadataPolicy: Fetch, property: environment}}
              - {secretKey: dotted, remoteRef: {key: database-credentials, property: a.b}}
            """);

        var outcome = await cluster.SyncAsync(es, null, null, new AzureKeyVaultProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        var secret = outcome.Secret!;
        Assert.Equal(["a.b", "dotted", "env", "found-database-credentials", "pass", "password", "tags", "user", "username"], secret.Data.Keys);
        Assert.Equal(("admin", "s3cr3t", "prod", """{"environment":"prod"}""", "lit"), (InMemoryCluster.Text(secret, "username"), InMemoryCluster.Text(secret, "password"), InMemoryCluster.Text(secret, "env"), InMemoryCluster.Text(secret, "tags"), InMemoryCluster.Text(secret, "dotted")));
        Assert.Contains(vault.Grants, g => g.ClientId == vault.ClientSecret.ClientId);
    }

    [Fact]
    public async Task Forbidden_and_missing_secrets_are_errors_without_values()
    {
        var (vault, cluster) = await StartAsync();
        await using var _ = vault;
        vault.SetSecretAccessDenied("database-password", true);

        var denied = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: p, remoteRef: {key: database-password}}]"), null, null, new AzureKeyVaultProviderFactory());
        Assert.True(denied.Failed);
        Assert.Contains("HTTP 403", denied.EventMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", denied.EventMessage, StringComparison.Ordinal);

        var missing = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: p, remoteRef: {key: nope}}]"), null, null, new AzureKeyVaultProviderFactory());
        Assert.EndsWith("azurekv: secret \"nope\" not found", missing.EventMessage, StringComparison.Ordinal);

        var cert = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: c, remoteRef: {key: cert/db-client-cert}}]"), null, null, new AzureKeyVaultProviderFactory());
        Assert.Contains("object type \"cert\"", cert.EventMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workload_identity_with_a_service_account_uses_a_token_request_assertion()
    {
        var (vault, cluster) = await StartAsync("authType: WorkloadIdentity\n      serviceAccountRef: {name: wi-sa}");
        await using var _ = vault;
        cluster.AddSecret("apps", "azure-secret-sp", ("ClientID", "66666666-7777-8888-9999-000000000000"), ("ClientSecret", "unused"));

        var outcome = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: u, remoteRef: {key: database-username}}]"), null, null, new AzureKeyVaultProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        Assert.Equal("admin", InMemoryCluster.Text(outcome.Secret!, "u"));
        Assert.Equal(("wi-sa", "api://AzureADTokenExchange"), (cluster.TokenRequests[0].Name, cluster.TokenRequests[0].Audiences[0]));
    }
}
