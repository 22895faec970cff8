using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.TestSupport.Tests.Azure;

/// <summary>The fake Key Vault's secrets API driven by the real SecretClient and ClientSecretCredential.</summary>
public sealed class FakeKeyVaultSecretTests
{
    [Fact]
    public async Task Set_then_get_goes_through_the_challenge_and_the_token_endpoint()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var client = AzureClients.Secrets(fake);

        var set = await client.SetSecretAsync(new KeyVaultSecret("db-password", "s3cret") { Properties = { ContentType = "text/plain", Tags = { ["team"] = "a" } } });
        var latest = await client.GetSecretAsync("db-password");

        Assert.Equal("s3cret", latest.Value.Value);
        Assert.Equal(set.Value.Properties.Version, latest.Value.Properties.Version);
        Assert.Equal("text/plain", latest.Value.Properties.ContentType);
        Assert.Equal("a", latest.Value.Properties.Tags["team"]);
        Assert.Equal(new Uri(fake.VaultUri, $"secrets/db-password/{set.Value.Properties.Version}"), latest.Value.Id);
        var requests = fake.Requests;
        Assert.False(requests[0].Authorized);
        Assert.Equal(401, requests[0].StatusCode);
        Assert.Contains(requests, r => r.IsTokenRequest && r.StatusCode == 200);
        Assert.All(requests.Where(r => !r.IsTokenRequest).Skip(1), r => Assert.True(r.Authorized));
        var grant = Assert.Single(fake.Grants);
        Assert.Equal(FakeKeyVault.Resource + "/.default", grant.Scope);
        Assert.Equal(fake.ClientSecret.ClientId, grant.ClientId);
    }

    [Fact]
    public async Task Versions_are_kept_and_readable_by_id()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var first = fake.SetSecret("api-key", "one");
        var second = fake.SetSecret("api-key", "two");
        var client = AzureClients.Secrets(fake);

        var old = await client.GetSecretAsync("api-key", first);
        var versions = new List<string>();
        await foreach (var properties in client.GetPropertiesOfSecretVersionsAsync("api-key"))
        {
            versions.Add(properties.Version);
        }

        Assert.Equal("one", old.Value.Value);
        Assert.Equal("two", (await client.GetSecretAsync("api-key")).Value.Value);
        Assert.Equal([first, second], versions);
    }

    [Fact]
    public async Task Listing_secrets_follows_next_links()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var names = Enumerable.Range(0, 30).Select(i => $"s{i:D2}").ToList();
        names.ForEach(n => fake.SetSecret(n, "v", tags: new Dictionary<string, string> { ["n"] = n }));
        var client = AzureClients.Secrets(fake);

        var listed = new List<SecretProperties>();
        await foreach (var properties in client.GetPropertiesOfSecretsAsync())
        {
            listed.Add(properties);
        }

        Assert.Equal(names, listed.Select(p => p.Name));
        Assert.All(listed, p => Assert.Equal(p.Name, p.Tags["n"]));
        Assert.True(fake.Requests.Count(r => r.Path == "/secrets" && r.StatusCode == 200) >= 2);
    }

    [Fact]
    public async Task Missing_and_disabled_secrets_answer_like_the_service()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.SetSecret("off", "x", enabled: false);
        var version = fake.SetSecret("present", "x");
        var client = AzureClients.Secrets(fake);

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("absent"));
        var missingVersion = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("present", "0123456789abcdef0123456789abcdef"));
        var disabled = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("off"));
        fake.SetSecretAccessDenied("present", true);
        var denied = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("present", version));

        Assert.Equal((404, "SecretNotFound"), (missing.Status, missing.ErrorCode));
        Assert.Equal((404, "SecretNotFound"), (missingVersion.Status, missingVersion.ErrorCode));
        Assert.Equal((403, "Forbidden"), (disabled.Status, disabled.ErrorCode));
        Assert.Contains("disabled secret", disabled.Message, StringComparison.Ordinal);
        Assert.Equal((403, "Forbidden"), (denied.Status, denied.ErrorCode));
    }

    [Fact]
    public async Task Delete_removes_the_secret()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.SetSecret("gone", "x");
        var client = AzureClients.Secrets(fake);

        var operation = await client.StartDeleteSecretAsync("gone");

        Assert.Equal("gone", operation.Value.Name);
        Assert.Null(fake.GetSecretValue("gone"));
        await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("gone"));
    }

    [Fact]
    public async Task A_wrong_client_secret_fails_authentication()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var client = AzureClients.Secrets(fake, AzureClients.Credential(fake, "wrong"));

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.GetSecretAsync("any"));

        Assert.Contains("AADSTS7000215", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains(fake.Requests, r => r.IsTokenRequest && r.ErrorCode == "invalid_client");
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.SetSecret("busy", "value");
        fake.Faults.FailNext(1, KeyVaultFault.Throttled, r => r.Path == "/secrets/busy");
        var client = AzureClients.Secrets(fake, maxRetries: 2);

        var secret = await client.GetSecretAsync("busy");

        Assert.Equal("value", secret.Value.Value);
        Assert.Equal([429, 200], fake.Requests.Where(r => r.Path == "/secrets/busy" && r.Authorized).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Workload_identity_credential_gets_a_federated_token()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.SetSecret("wi", "federated");
        using var dir = new TempDirectory();
        var tokenFile = Path.Combine(dir.Path, "token");
        await File.WriteAllTextAsync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDplc28ifQ.c2ln");
        var credential = new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
        {
            TenantId = fake.TenantId,
            ClientId = "66666666-7777-8888-9999-000000000000",
            TokenFilePath = tokenFile,
            AuthorityHost = fake.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new global::Azure.Core.Pipeline.HttpClientTransport(fake.CreateTrustingHandler()),
        });

        var secret = await AzureClients.Secrets(fake, credential).GetSecretAsync("wi");

        Assert.Equal("federated", secret.Value.Value);
        Assert.True(Assert.Single(fake.Grants).Federated);
    }
}
