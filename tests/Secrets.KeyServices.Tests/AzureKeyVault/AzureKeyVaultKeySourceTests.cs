using System.Buffers.Text;
using Azure.Core.Pipeline;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.KeyServices.Tests.AzureKeyVault;

/// <summary>Key Vault master keys through Azure.Core + Azure.Identity against the https FakeKeyVault.</summary>
public sealed class AzureKeyVaultKeySourceTests
{
    [Fact]
    public async Task A_data_key_round_trips_and_an_empty_version_is_resolved_before_writing()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("sops");
        var source = KeyVaultSession.Source(fake);
        var dataKey = DataKeys.New();

        var entry = await source.Parse(KeyVaultSession.Url(fake, "sops")).WrapAsync(dataKey, CancellationToken.None);
        var recovered = await source.TryUnwrapAsync(entry, CancellationToken.None);

        Assert.Equal(dataKey, recovered);
        Assert.Equal("azure_kv", entry.Type);
        Assert.Equal(["vault_url", "name", "version", "created_at", "enc"], entry.Fields.Keys);
        Assert.Equal(fake.VaultUri.ToString().TrimEnd('/'), entry["vault_url"]);
        Assert.Equal(("sops", key.LatestVersion), (entry["name"], entry["version"]));
        Assert.Matches(DataKeys.CreatedAtPattern, entry["created_at"]);
        Assert.DoesNotContain('=', entry.Enc!);
        Assert.DoesNotContain('+', entry.Enc!);
        Assert.Equal(256, Base64Url.DecodeFromChars(entry.Enc!).Length);
    }

    [Fact]
    public async Task The_first_call_answers_the_challenge_and_later_calls_reuse_the_token()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("sops");
        var source = KeyVaultSession.Source(fake);

        var entry = await source.Parse(KeyVaultSession.Url(fake, "sops")).WrapAsync(DataKeys.New(), CancellationToken.None);
        await source.TryUnwrapAsync(entry, CancellationToken.None);

        var vaultCalls = fake.Requests.Where(r => !r.IsTokenRequest).ToList();
        Assert.Equal([401, 200, 200, 200], vaultCalls.Select(r => r.StatusCode));
        Assert.Equal(FakeKeyVault.Resource + "/.default", Assert.Single(fake.Grants).Scope);
    }

    [Fact]
    public async Task An_old_version_still_unwraps_after_rotation()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("rotating");
        var source = KeyVaultSession.Source(fake);
        var dataKey = DataKeys.New();
        var entry = await source.Parse(KeyVaultSession.Url(fake, "rotating")).WrapAsync(dataKey, CancellationToken.None);

        fake.CreateKey("rotating");
        var rewrapped = await source.Parse(KeyVaultSession.Url(fake, "rotating")).WrapAsync(dataKey, CancellationToken.None);

        Assert.Equal(dataKey, await source.TryUnwrapAsync(entry, CancellationToken.None));
        Assert.Equal(key.LatestVersion, rewrapped["version"]);
        Assert.NotEqual(entry["version"], rewrapped["version"]);
    }

    [Fact]
    public async Task A_data_key_wrapped_by_another_key_fails_clearly()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("a");
        var b = fake.CreateKey("b");
        var source = KeyVaultSession.Source(fake);
        var entry = await source.Parse(KeyVaultSession.Url(fake, "a")).WrapAsync(DataKeys.New(), CancellationToken.None);
        var swapped = new MasterKeyEntry("azure_kv", new Dictionary<string, string>(entry.Fields) { ["name"] = "b", ["version"] = b.LatestVersion });

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(swapped, CancellationToken.None));

        Assert.Contains("unwrap refused (400 BadParameter)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"/keys/b/{b.LatestVersion}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("denied", "wrap denied (403 Forbidden)")]
    [InlineData("disabled", "wrap denied (403 Forbidden)")]
    [InlineData("missing", "does not exist (404 KeyNotFound)")]
    [InlineData("throttled", "wrap throttled (429 Throttled)")]
    public async Task Service_errors_name_the_key_and_the_reason(string scenario, string expected)
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("k");
        switch (scenario)
        {
            case "denied":
                fake.SetKeyAccessDenied(key, true);
                break;
            case "disabled":
                fake.SetKeyEnabled(key, false);
                break;
            case "throttled":
                fake.Faults.FailNext(10, KeyVaultFault.Throttled, r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal));
                break;
        }

        var source = KeyVaultSession.Source(fake, maxRetries: 1);
        var url = KeyVaultSession.Url(fake, scenario == "missing" ? "absent" : "k", scenario == "missing" ? null : key.LatestVersion);

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse(url).WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.KeyProvider, error.Kind);
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_pipeline()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("k");
        fake.Faults.FailNext(2, KeyVaultFault.Throttled, r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal));
        var source = KeyVaultSession.Source(fake, maxRetries: 3);

        var entry = await source.Parse(KeyVaultSession.Url(fake, "k")).WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.NotNull(entry.Enc);
        Assert.Equal([429, 429, 200], fake.Requests.Where(r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal) && r.Authorized).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Challenge_resource_verification_refuses_a_vault_outside_the_resource_domain()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("k");
        var source = KeyVaultSession.Source(fake, verifyResource: true);

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse(KeyVaultSession.Url(fake, "k")).WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("does not match the vault host", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Grants);
    }

    [Fact]
    public async Task A_wrong_client_secret_and_an_unreachable_vault_are_clear_errors()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("k");
        var options = KeyVaultSession.Options(fake) with
        {
            Credential = new global::Azure.Identity.ClientSecretCredential(fake.TenantId, fake.ClientSecret.ClientId, "wrong", new global::Azure.Identity.ClientSecretCredentialOptions
            {
                AuthorityHost = fake.AuthorityHost,
                DisableInstanceDiscovery = true,
                Transport = new HttpClientTransport(fake.CreateTrustingHandler()),
            }),
        };

        var auth = await Assert.ThrowsAsync<KeyProviderException>(async () =>
            await new AzureKeyVaultKeySource(options).Parse(KeyVaultSession.Url(fake, "k")).WrapAsync(DataKeys.New(), CancellationToken.None));
        var unreachable = await Assert.ThrowsAsync<KeyProviderException>(async () =>
            await KeyVaultSession.Source(fake).Parse("https://127.0.0.1:1/keys/k/0123").WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("no Azure identity could get a token", auth.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", unreachable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://v.vault.azure.net/keys/sops", "https://v.vault.azure.net", "sops", null)]
    [InlineData("https://v.vault.azure.net/keys/sops/0a1b2c", "https://v.vault.azure.net", "sops", "0a1b2c")]
    [InlineData("https://v.vault.azure.net/keys/sops/0a1b2c/", "https://v.vault.azure.net", "sops", "0a1b2c")]
    public void Key_urls_parse(string url, string vault, string name, string? version)
    {
        var key = KeyVaultKeyReference.Parse(url);

        Assert.Equal((vault, name, version), (key.VaultUrl, key.Name, key.Version));
    }

    [Theory]
    [InlineData("http://v.vault.azure.net/keys/sops")]
    [InlineData("https://v.vault.azure.net/secrets/sops")]
    [InlineData("https://v.vault.azure.net/keys/")]
    public void Malformed_urls_are_invalid_keys(string url)
    {
        var error = Assert.ThrowsAny<SecretsException>(() => new AzureKeyVaultKeySource().Parse(url));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
    }

    [Fact]
    public void Sops_yaml_group_fields_name_the_same_key()
    {
        var source = new AzureKeyVaultKeySource();

        var key = source.FromEntry(new MasterKeyEntry("azure_kv", new Dictionary<string, string> { ["vaultUrl"] = "https://v.vault.azure.net", ["key"] = "k", ["version"] = "1" }));

        Assert.Equal("https://v.vault.azure.net/keys/k/1", key.Id);
    }
}
