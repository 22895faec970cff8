using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// The identities a Key Vault key may use, tried in order and built explicitly (never DefaultAzureCredential, whose
/// probing is slow and hard to reason about): workload identity (<c>AZURE_FEDERATED_TOKEN_FILE</c>), client secret
/// (<c>AZURE_CLIENT_SECRET</c>), client certificate (<c>AZURE_CLIENT_CERTIFICATE_PATH</c>), managed identity, Azure CLI.
/// <c>AZURE_AUTHORITY_HOST</c> selects the cloud; for a host that is not a known Entra cloud, instance discovery is off.
/// </summary>
public static class AzureCredentialChain
{
    private static readonly Uri[] KnownAuthorities =
        [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureChina, AzureAuthorityHosts.AzureGovernment];

    /// <param name="transport">The HTTP transport for token requests (e.g. one trusting a private CA).</param>
    /// <param name="getEnvironmentVariable">Where the <c>AZURE_*</c> variables are read; default the process environment.</param>
    public static TokenCredential FromEnvironment(HttpPipelineTransport? transport = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        var read = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        string? Env(string name) => read(name) is { Length: > 0 } value ? value : null;
        var tenant = Env("AZURE_TENANT_ID");
        var client = Env("AZURE_CLIENT_ID");
        var authority = Env("AZURE_AUTHORITY_HOST") is { } host ? new Uri(host) : AzureAuthorityHosts.AzurePublicCloud;
        var custom = !KnownAuthorities.Contains(authority);
        T Configure<T>(T options)
            where T : TokenCredentialOptions
        {
            options.AuthorityHost = authority;
            if (transport is not null)
            {
                options.Transport = transport;
            }

            return options;
        }

        var chain = new List<TokenCredential>();
        if (tenant is not null && client is not null && Env("AZURE_FEDERATED_TOKEN_FILE") is { } tokenFile)
        {
            chain.Add(new WorkloadIdentityCredential(Configure(new WorkloadIdentityCredentialOptions
            {
                TenantId = tenant,
                ClientId = client,
                TokenFilePath = tokenFile,
                DisableInstanceDiscovery = custom,
            })));
        }

        if (tenant is not null && client is not null && Env("AZURE_CLIENT_SECRET") is { } secret)
        {
            chain.Add(new ClientSecretCredential(tenant, client, secret, Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = custom })));
        }

        if (tenant is not null && client is not null && Env("AZURE_CLIENT_CERTIFICATE_PATH") is { } certificate)
        {
            chain.Add(new ClientCertificateCredential(tenant, client, certificate, Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = custom })));
        }

        var identity = client is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(client);
        chain.Add(new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(identity))));
        chain.Add(new AzureCliCredential(Configure(new AzureCliCredentialOptions { TenantId = tenant })));
        return new ChainedTokenCredential([.. chain]);
    }
}
