using Secrets.KeyServices.VaultTransit;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.KeyServices.Tests.VaultTransit;

/// <summary>The token comes from VAULT_TOKEN, else ~/.vault-token; the namespace from VAULT_NAMESPACE.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class VaultTokenTests
{
    [Fact]
    public async Task Vault_token_and_namespace_variables_are_used()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit(ns: "ns1");
        var token = vault.CreateToken(["transit/"], ns: "ns1");
        using var environment = new EnvironmentScope(new Dictionary<string, string?> { ["VAULT_TOKEN"] = token, ["VAULT_NAMESPACE"] = "ns1" });
        using var source = new VaultTransitKeySource();

        var entry = await source.Parse($"{vault.Address}v1/transit/keys/k").WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.StartsWith("vault:v1:", entry.Enc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_file_in_home_is_the_fallback()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(home.File(".vault-token"), vault.RootToken + "\n");
        using var environment = new EnvironmentScope(new Dictionary<string, string?> { ["VAULT_TOKEN"] = null, ["VAULT_NAMESPACE"] = null, ["HOME"] = home.Path });
        using var source = new VaultTransitKeySource();

        var entry = await source.Parse($"{vault.Address}v1/transit/keys/k").WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.NotNull(entry.Enc);
        File.Delete(home.File(".vault-token"));
        var error = await Assert.ThrowsAsync<Secrets.Core.KeyProviderException>(async () => await source.TryUnwrapAsync(entry, CancellationToken.None));
        Assert.Contains("no Vault token", error.Message, StringComparison.Ordinal);
    }
}
