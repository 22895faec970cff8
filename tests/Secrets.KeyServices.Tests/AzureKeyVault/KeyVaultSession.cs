using Azure.Core.Pipeline;
using Azure.Identity;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.KeyServices.Tests.AzureKeyVault;

/// <summary>
/// AzureKeyVaultKeySource against a FakeKeyVault: a real ClientSecretCredential on the fake authority and a transport
/// trusting the fake's CA (the one injection point, test-infra.md §4).
/// </summary>
internal static class KeyVaultSession
{
    public static AzureKeyVaultOptions Options(FakeKeyVault fake, int maxRetries = 0, bool verifyResource = false) => new()
    {
        Credential = new ClientSecretCredential(fake.TenantId, fake.ClientSecret.ClientId, fake.ClientSecret.Secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = fake.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(fake.CreateTrustingHandler()),
        }),
        Transport = new HttpClientTransport(fake.CreateTrustingHandler()),
        DisableChallengeResourceVerification = !verifyResource,
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
    };

    public static AzureKeyVaultKeySource Source(FakeKeyVault fake, int maxRetries = 0, bool verifyResource = false) => new(Options(fake, maxRetries, verifyResource));

    /// <summary>The key URL as users write it: vault URL without trailing slash.</summary>
    public static string Url(FakeKeyVault fake, string name, string? version = null) =>
        $"{fake.VaultUri.ToString().TrimEnd('/')}/keys/{name}" + (version is null ? "" : "/" + version);
}
