using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.Cli.Tests.KeyServices;

/// <summary>
/// <c>secrets encrypt --azure-kv</c> and <c>decrypt</c> end to end as a child process against FakeKeyVault over https:
/// the 401 Bearer challenge, a client-secret token from the fake Entra endpoint (standard <c>AZURE_*</c> variables,
/// never DefaultAzureCredential) and the fake's CA trusted through <c>SSL_CERT_FILE</c>, as a user with a private CA
/// would configure it. In process the CA could only be injected through a test transport, which would prove less.
/// </summary>
public sealed class AzureKeyVaultCliProcessTests
{
    private const string Plain = "db:\n    password: s3cret\nport: 5432\n";

    private static (TempDirectory Dir, Dictionary<string, string?> Environment) Setup(FakeKeyVault vault, bool trustCa)
    {
        var dir = new TempDirectory();
        File.WriteAllText(dir.File("app.yaml"), Plain);
        Directory.CreateDirectory(dir.File("certs"));
        File.WriteAllText(dir.File("ca.pem"), vault.CertificateAuthority.CertificatePem);
        var environment = CliProcess.Environment(dir.Path);
        environment["AZURE_TENANT_ID"] = vault.TenantId;
        environment["AZURE_CLIENT_ID"] = vault.ClientSecret.ClientId;
        environment["AZURE_CLIENT_SECRET"] = vault.ClientSecret.Secret;
        environment["AZURE_AUTHORITY_HOST"] = vault.AuthorityHost.ToString();
        // The fake's challenge names https://vault.azure.net while it listens on 127.0.0.1 (a private endpoint).
        environment["SECRETS_AZURE_KV_DISABLE_CHALLENGE_RESOURCE_VERIFICATION"] = "true";
        environment["SSL_CERT_FILE"] = trustCa ? dir.File("ca.pem") : dir.File("missing.pem");
        environment["SSL_CERT_DIR"] = dir.File("certs");
        return (dir, environment);
    }

    [Fact]
    public async Task Encrypt_and_decrypt_with_an_azure_kv_key_through_the_challenge_and_a_client_secret()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var key = vault.CreateKey("sops");
        var (dir, environment) = Setup(vault, trustCa: true);
        using var _ = dir;
        var url = $"{vault.VaultUri.ToString().TrimEnd('/')}/keys/sops/{key.LatestVersion}";

        var encrypted = await CliProcess.RunAsync(environment, dir.Path, "encrypt", "--azure-kv", url, "--output", dir.File("app.enc.yaml"), dir.File("app.yaml"));
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        var decrypted = await CliProcess.RunAsync(environment, dir.Path, "decrypt", dir.File("app.enc.yaml"));

        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        Assert.Equal(Plain, decrypted.StdOutText);
        var file = await File.ReadAllTextAsync(dir.File("app.enc.yaml"));
        Assert.Contains("azure_kv:", file, StringComparison.Ordinal);
        Assert.Contains($"vault_url: {vault.VaultUri.ToString().TrimEnd('/')}", file, StringComparison.Ordinal);
        Assert.Contains("name: sops", file, StringComparison.Ordinal);
        Assert.Contains($"version: {key.LatestVersion}", file, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", file, StringComparison.Ordinal);
        var requests = vault.Requests;
        Assert.Contains(requests, r => !r.Authorized && !r.IsTokenRequest && r.StatusCode == 401);
        Assert.Contains(requests, r => r.IsTokenRequest && r.StatusCode == 200);
        Assert.Single(requests, r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal) && r.StatusCode == 200);
        Assert.Single(requests, r => r.Path.EndsWith("/unwrapkey", StringComparison.Ordinal) && r.StatusCode == 200);
    }

    [Fact]
    public async Task An_untrusted_vault_certificate_is_a_clear_error_naming_the_key()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var key = vault.CreateKey("sops");
        var (dir, environment) = Setup(vault, trustCa: false);
        using var _ = dir;
        var url = $"{vault.VaultUri.ToString().TrimEnd('/')}/keys/sops/{key.LatestVersion}";

        var encrypted = await CliProcess.RunAsync(environment, dir.Path, "encrypt", "--azure-kv", url, "--output", dir.File("app.enc.yaml"), dir.File("app.yaml"));

        Assert.NotEqual(0, encrypted.ExitCode);
        Assert.StartsWith("error:", encrypted.StdErr, StringComparison.Ordinal);
        Assert.Contains(url, encrypted.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", encrypted.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("app.enc.yaml")));
        Assert.DoesNotContain(vault.Requests, r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal));
    }
}
