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
        var custom = IsCustom(authority);
        T Configure<T>(T options)
            where T : TokenCredentialOptions => Configured(options, authority, transport);

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
            chain.Add(ClientSecret(tenant, client, secret, authority, transport));
        }

        if (tenant is not null && client is not null && Env("AZURE_CLIENT_CERTIFICATE_PATH") is { } certificate)
        {
            chain.Add(new ClientCertificateCredential(tenant, client, certificate, Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = custom })));
        }

        chain.Add(ManagedIdentity(client, authority, transport));
        chain.Add(new AzureCliCredential(Configure(new AzureCliCredentialOptions { TenantId = tenant })));
        return new ChainedTokenCredential([.. chain]);
    }

    /// <summary>
    /// A service principal with a client secret given explicitly (Flux's <c>sops.azure-kv</c> <c>{tenantId, clientId,
    /// clientSecret[, authorityHost]}</c>, eso-flux.md §3.2). Instance discovery is off for a host that is not a known cloud.
    /// </summary>
    public static TokenCredential ClientSecret(string tenantId, string clientId, string clientSecret, Uri? authorityHost = null, HttpPipelineTransport? transport = null)
    {
        var authority = authorityHost ?? AzureAuthorityHosts.AzurePublicCloud;
        return new ClientSecretCredential(tenantId, clientId, clientSecret, Configured(new ClientSecretCredentialOptions { DisableInstanceDiscovery = IsCustom(authority) }, authority, transport));
    }

    /// <summary>The pod's managed identity: user-assigned when <paramref name="clientId"/> is given, else system-assigned.</summary>
    public static TokenCredential ManagedIdentity(string? clientId, Uri? authorityHost = null, HttpPipelineTransport? transport = null)
    {
        var identity = clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId);
        return new ManagedIdentityCredential(Configured(new ManagedIdentityCredentialOptions(identity), authorityHost ?? AzureAuthorityHosts.AzurePublicCloud, transport));
    }

    private static bool IsCustom(Uri authority) => !KnownAuthorities.Contains(authority);

    private static T Configured<T>(T options, Uri authority, HttpPipelineTransport? transport)
        where T : TokenCredentialOptions
    {
        options.AuthorityHost = authority;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }
}
