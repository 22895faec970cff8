using Azure.Core.Pipeline;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.KeyServices.Tests.AzureKeyVault;

/// <summary>The explicit credential chain picks the client secret from the standard AZURE_* variables.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class AzureCredentialChainTests
{
    [Fact]
    public async Task Environment_client_secret_authenticates_against_the_configured_authority()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("env");
        using var environment = new EnvironmentScope(new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = fake.TenantId,
            ["AZURE_CLIENT_ID"] = fake.ClientSecret.ClientId,
            ["AZURE_CLIENT_SECRET"] = fake.ClientSecret.Secret,
            ["AZURE_AUTHORITY_HOST"] = fake.AuthorityHost.ToString(),
            ["AZURE_FEDERATED_TOKEN_FILE"] = null,
            ["AZURE_CLIENT_CERTIFICATE_PATH"] = null,
        });
        var transport = new HttpClientTransport(fake.CreateTrustingHandler());
        var source = new AzureKeyVaultKeySource(new AzureKeyVaultOptions
        {
            Credential = AzureCredentialChain.FromEnvironment(transport),
            Transport = transport,
            DisableChallengeResourceVerification = true,
            MaxRetries = 0,
        });
        var dataKey = DataKeys.New();

        var entry = await source.Parse(KeyVaultSession.Url(fake, "env")).WrapAsync(dataKey, CancellationToken.None);

        Assert.Equal(dataKey, await source.TryUnwrapAsync(entry, CancellationToken.None));
        var grant = Assert.Single(fake.Grants);
        Assert.Equal((fake.ClientSecret.ClientId, false), (grant.ClientId, grant.Federated));
    }
}
