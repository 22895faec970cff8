using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Providers.AzureKeyVault;

/// <summary>
/// The credential for <c>spec.provider.azurekv</c> (eso-flux.md §2.3): ServicePrincipal (default; clientId +
/// clientSecret from authSecretRef), WorkloadIdentity (serviceAccountRef ⇒ TokenRequest assertion, or the
/// webhook-injected AZURE_* environment), ManagedIdentity (identityId). Never DefaultAzureCredential.
/// </summary>
internal static class AzureCredentials
{
    private const string TokenExchangeAudience = "api://AzureADTokenExchange";

    public static async Task<TokenCredential> CreateAsync(ManifestField config, ProviderContext context, HttpPipelineTransport? transport, CancellationToken cancellationToken)
    {
        var authority = AuthorityHost(config);
        var custom = authority != AzureAuthorityHosts.AzurePublicCloud && authority != AzureAuthorityHosts.AzureChina && authority != AzureAuthorityHosts.AzureGovernment;
        T Configure<T>(T options)
            where T : TokenCredentialOptions
        {
            options.AuthorityHost = authority;
            options.Retry.MaxRetries = 2;
            if (transport is not null)
            {
                options.Transport = transport;
            }

            return options;
        }

        var secretRef = config["authSecretRef"];
        async Task<string?> Optional(string field) =>
            secretRef[field].Exists ? await context.ReadSecretRefStringAsync(secretRef[field], cancellationToken).ConfigureAwait(false) : null;

        var tenant = config["tenantId"].String is { Length: > 0 } t ? t : await Optional("tenantId").ConfigureAwait(false);
        switch (config["authType"].String is { Length: > 0 } type ? type : "ServicePrincipal")
        {
            case "ServicePrincipal":
                var clientId = await Optional("clientId").ConfigureAwait(false) ?? throw secretRef.Invalid("needs clientId for ServicePrincipal auth");
                var clientSecret = await Optional("clientSecret").ConfigureAwait(false) ?? throw secretRef.Invalid("needs clientSecret (clientCertificate is not supported yet)");
                return new ClientSecretCredential(tenant ?? throw config["tenantId"].Invalid("is required for ServicePrincipal auth"), clientId, clientSecret, Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = custom }));
            case "WorkloadIdentity" when config["serviceAccountRef"].Exists:
                var id = await Optional("clientId").ConfigureAwait(false) ?? throw secretRef.Invalid("needs clientId for WorkloadIdentity with serviceAccountRef (service account annotations are not read)");
                var account = config["serviceAccountRef"];
                return new ClientAssertionCredential(
                    tenant ?? throw config["tenantId"].Invalid("is required for WorkloadIdentity"),
                    id,
                    ct => context.ServiceAccountTokenAsync(account, [TokenExchangeAudience], ct),
                    Configure(new ClientAssertionCredentialOptions { DisableInstanceDiscovery = custom }));
            case "WorkloadIdentity":
                return new WorkloadIdentityCredential(Configure(new WorkloadIdentityCredentialOptions { DisableInstanceDiscovery = custom }));
            case "ManagedIdentity":
                var identity = config["identityId"].String is { Length: > 0 } mi ? ManagedIdentityId.FromUserAssignedClientId(mi) : ManagedIdentityId.SystemAssigned;
                return new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(identity)));
            case var other:
                throw config["authType"].Invalid($"is \"{other}\", expected ServicePrincipal, ManagedIdentity or WorkloadIdentity");
        }
    }

    // environmentType, or customCloudConfig.activeDirectoryEndpoint for AzureStackCloud.
    private static Uri AuthorityHost(ManifestField config) => config["environmentType"].String switch
    {
        "ChinaCloud" => AzureAuthorityHosts.AzureChina,
        "USGovernmentCloud" => AzureAuthorityHosts.AzureGovernment,
        "AzureStackCloud" => new Uri(config["customCloudConfig"]["activeDirectoryEndpoint"].Required),
        _ => AzureAuthorityHosts.AzurePublicCloud,
    };
}
