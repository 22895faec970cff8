using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.KeyServices.VaultTransit;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.KeyServices.Tests.VaultTransit;

/// <summary>Vault transit master keys over HttpClient against FakeVault.</summary>
public sealed class VaultTransitKeySourceTests
{
    private static VaultTransitKeySource Source(FakeVault vault, string? token = null, string? ns = null, int maxRetries = 2) => new(new VaultTransitOptions
    {
        Token = token ?? vault.RootToken,
        Namespace = ns,
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(5),
    });

    private static string Uri(FakeVault vault, string engine, string key) => $"{vault.Address.ToString().TrimEnd('/')}/v1/{engine}/keys/{key}";

    [Fact]
    public async Task A_data_key_round_trips_through_a_nested_engine_path()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit("team/sops/transit");
        vault.RotateTransitKey("files", "team/sops/transit");
        using var source = Source(vault);
        var dataKey = DataKeys.New();

        var entry = await source.Parse(Uri(vault, "team/sops/transit", "files")).WrapAsync(dataKey, CancellationToken.None);
        var recovered = await source.TryUnwrapAsync(entry, CancellationToken.None);

        Assert.Equal(dataKey, recovered);
        Assert.Equal("hc_vault", entry.Type);
        Assert.Equal(["vault_address", "engine_path", "key_name", "created_at", "enc"], entry.Fields.Keys);
        Assert.Equal((vault.Address.ToString().TrimEnd('/'), "team/sops/transit", "files"), (entry["vault_address"], entry["engine_path"], entry["key_name"]));
        Assert.StartsWith("vault:v1:", entry.Enc, StringComparison.Ordinal);
        Assert.Matches(DataKeys.CreatedAtPattern, entry["created_at"]);
    }

    [Fact]
    public async Task After_rotation_new_wraps_use_the_new_version_and_old_ones_still_unwrap()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var source = Source(vault);
        var dataKey = DataKeys.New();
        var first = await source.Parse(Uri(vault, "transit", "k")).WrapAsync(dataKey, CancellationToken.None);

        vault.RotateTransitKey("k");
        var second = await source.FromEntry(first).WrapAsync(dataKey, CancellationToken.None);

        Assert.StartsWith("vault:v2:", second.Enc, StringComparison.Ordinal);
        Assert.Equal(first["created_at"], second["created_at"]);
        Assert.Equal(dataKey, await source.TryUnwrapAsync(first, CancellationToken.None));
        Assert.Equal(dataKey, await source.TryUnwrapAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task A_data_key_of_another_key_is_refused_clearly()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        vault.RotateTransitKey("b");
        using var source = Source(vault);
        var entry = await source.Parse(Uri(vault, "transit", "a")).WrapAsync(DataKeys.New(), CancellationToken.None);
        var swapped = new MasterKeyEntry("hc_vault", new Dictionary<string, string>(entry.Fields) { ["key_name"] = "b" });

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(swapped, CancellationToken.None));

        Assert.Contains("decrypt refused (400): cipher: message authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/transit/keys/b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_the_policy_is_denied()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        var token = vault.CreateToken(["secret/"]);
        using var source = Source(vault, token);

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse(Uri(vault, "transit", "k")).WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("encrypt denied (403): permission denied", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.Hints);
    }

    [Fact]
    public async Task Rate_limiting_is_retried_then_reported()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var source = Source(vault, maxRetries: 2);
        var key = source.Parse(Uri(vault, "transit", "k"));

        vault.Faults.FailNext(2, VaultFault.RateLimited);
        var entry = await key.WrapAsync(DataKeys.New(), CancellationToken.None);
        vault.Faults.FailNext(3, VaultFault.RateLimited);
        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(entry, CancellationToken.None));

        Assert.Contains("decrypt throttled (429) after 2 retries", error.Message, StringComparison.Ordinal);
        Assert.Equal([429, 429, 200, 429, 429, 429], vault.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_sealed_vault_and_an_unreachable_one_are_clear_errors()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        vault.SetSealed(true);
        using var source = Source(vault, maxRetries: 0);

        var sealedError = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse(Uri(vault, "transit", "k")).WrapAsync(DataKeys.New(), CancellationToken.None));
        var refused = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse("http://127.0.0.1:1/v1/transit/keys/k").WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("(503): Vault is sealed", sealedError.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_namespace_is_sent_with_every_call()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit(ns: "team-a");
        var token = vault.CreateToken(["transit/"], ns: "team-a");
        using var source = Source(vault, token, "team-a");
        var dataKey = DataKeys.New();

        var entry = await source.Parse(Uri(vault, "transit", "k")).WrapAsync(dataKey, CancellationToken.None);

        Assert.Equal(dataKey, await source.TryUnwrapAsync(entry, CancellationToken.None));
        Assert.All(vault.Requests, r => Assert.Equal("team-a", r.Namespace));
    }

    [Theory]
    [InlineData("https://vault.example.com:8200/v1/transit/keys/k", "https://vault.example.com:8200", "transit", "k")]
    [InlineData("https://vault.example.com/v1/a/b/c/keys/k/", "https://vault.example.com", "a/b/c", "k")]
    [InlineData("http://127.0.0.1:8200/v1/sops/keys/firstkey", "http://127.0.0.1:8200", "sops", "firstkey")]
    public void Key_uris_parse(string uri, string address, string engine, string name)
    {
        var key = VaultTransitKeyReference.Parse(uri);

        Assert.Equal((address, engine, name), (key.Address, key.EnginePath, key.KeyName));
    }

    [Theory]
    [InlineData("vault.example.com/v1/transit/keys/k")]
    [InlineData("https://vault.example.com/transit/keys/k")]
    [InlineData("https://vault.example.com/v1/keys/k")]
    [InlineData("https://vault.example.com/v1/transit/key/k")]
    public void Malformed_uris_are_invalid_keys(string uri)
    {
        using var source = new VaultTransitKeySource();

        Assert.Equal(ErrorKind.InvalidKey, Assert.ThrowsAny<SecretsException>(() => source.Parse(uri)).Kind);
    }
}
