using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.TestSupport.Tests.Azure;

/// <summary>The real Azure SDK clients pointed at a fake: its CA trusted through the transport, few retries (test-infra.md §4).</summary>
internal static class AzureClients
{
    public static ClientSecretCredential Credential(FakeKeyVault fake, string? secret = null) => new(
        fake.TenantId,
        fake.ClientSecret.ClientId,
        secret ?? fake.ClientSecret.Secret,
        new ClientSecretCredentialOptions
        {
            AuthorityHost = fake.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(fake.CreateTrustingHandler()),
            Retry = { MaxRetries = 0 },
        });

    public static SecretClient Secrets(FakeKeyVault fake, TokenCredential? credential = null, int maxRetries = 0)
    {
        var options = new SecretClientOptions
        {
            // A vault at 127.0.0.1 is not under vault.azure.net (test-infra.md §4).
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(fake.CreateTrustingHandler()),
        };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        return new SecretClient(fake.VaultUri, credential ?? Credential(fake), options);
    }
}
