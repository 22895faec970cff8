using System.Text.RegularExpressions;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Aws;
using Secrets.TestSupport.Fakes.Azure;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.Cli.Tests.KeyServices;

/// <summary>
/// <c>rotate</c> and <c>updatekeys</c> on files wrapped by AWS KMS, Vault transit and Azure Key Vault keys, as child
/// processes (the Key Vault CA is trusted through SSL_CERT_FILE): one wrap round trip per key, counted at the fakes, and
/// the file still decrypts.
/// </summary>
public sealed partial class CloudKeyRotationTests
{
    private const string Plain = "db:\n    password: s3cret\nport: 5432\n";

    private sealed record Cloud(FakeAws Aws, FakeVault Vault, FakeKeyVault KeyVault, TempDirectory Dir, Dictionary<string, string?> Environment) : IAsyncDisposable
    {
        public static async Task<Cloud> StartAsync()
        {
            var aws = await FakeAws.StartAsync();
            var vault = await FakeVault.StartAsync();
            vault.MountTransit();
            var keyVault = await FakeKeyVault.StartAsync();
            var dir = new TempDirectory();
            File.WriteAllText(dir.File("app.yaml"), Plain);
            File.WriteAllText(dir.File("ca.pem"), keyVault.CertificateAuthority.CertificatePem);
            Directory.CreateDirectory(dir.File("certs"));
            var environment = CliProcess.Environment(dir.Path);
            environment["AWS_ENDPOINT_URL_KMS"] = aws.BaseAddress.ToString();
            environment["AWS_ACCESS_KEY_ID"] = "AKIDROTATE";
            environment["AWS_SECRET_ACCESS_KEY"] = "fake-secret";
            environment["AWS_MAX_ATTEMPTS"] = "1";
            environment["VAULT_TOKEN"] = vault.RootToken;
            environment["AZURE_TENANT_ID"] = keyVault.TenantId;
            environment["AZURE_CLIENT_ID"] = keyVault.ClientSecret.ClientId;
            environment["AZURE_CLIENT_SECRET"] = keyVault.ClientSecret.Secret;
            environment["AZURE_AUTHORITY_HOST"] = keyVault.AuthorityHost.ToString();
            environment["SECRETS_AZURE_KV_DISABLE_CHALLENGE_RESOURCE_VERIFICATION"] = "true";
            environment["SSL_CERT_FILE"] = dir.File("ca.pem");
            environment["SSL_CERT_DIR"] = dir.File("certs");
            return new Cloud(aws, vault, keyVault, dir, environment);
        }

        public Task<ProcessResult> RunAsync(params string[] args) => CliProcess.RunAsync(Environment, Dir.Path, args);

        /// <summary>(KMS Encrypt, transit encrypt, Key Vault wrapkey, all unwraps) answered with success so far.</summary>
        public (int Kms, int Transit, int KeyVault, int Unwraps) Calls() => (
            Aws.Requests.Count(r => r is { Operation: "Encrypt", StatusCode: 200 }),
            Vault.Requests.Count(r => r.Path.StartsWith("transit/encrypt/", StringComparison.Ordinal) && r.StatusCode == 200),
            KeyVault.Requests.Count(r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal) && r.StatusCode == 200),
            Aws.Requests.Count(r => r is { Operation: "Decrypt", StatusCode: 200 })
                + Vault.Requests.Count(r => r.Path.StartsWith("transit/decrypt/", StringComparison.Ordinal) && r.StatusCode == 200)
                + KeyVault.Requests.Count(r => r.Path.EndsWith("/unwrapkey", StringComparison.Ordinal) && r.StatusCode == 200));

        public async ValueTask DisposeAsync()
        {
            await Aws.DisposeAsync();
            await Vault.DisposeAsync();
            await KeyVault.DisposeAsync();
            Dir.Dispose();
        }
    }

    private static string[] EncValues(string file) => [.. EncLine().Matches(file).Select(m => m.Groups[1].Value)];

    private static async Task AssertDecryptsAsync(Cloud cloud)
    {
        var decrypted = await cloud.RunAsync("decrypt", cloud.Dir.File("app.enc.yaml"));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        Assert.Equal(Plain, decrypted.StdOutText);
    }

    [Fact]
    public async Task Rotate_wraps_a_new_data_key_once_per_cloud_key_and_the_file_still_decrypts()
    {
        await using var cloud = await Cloud.StartAsync();
        var kms = cloud.Aws.CreateKey();
        var azure = cloud.KeyVault.CreateKey("sops");
        var encrypted = await cloud.RunAsync("encrypt", "--kms", kms.Arn, "--hc-vault-transit", $"{cloud.Vault.Address}v1/transit/keys/app",
            "--azure-kv", $"{cloud.KeyVault.VaultUri.ToString().TrimEnd('/')}/keys/sops/{azure.LatestVersion}", "--output", cloud.Dir.File("app.enc.yaml"), cloud.Dir.File("app.yaml"));
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        Assert.Equal((1, 1, 1, 0), cloud.Calls());
        var before = await File.ReadAllTextAsync(cloud.Dir.File("app.enc.yaml"));

        var rotated = await cloud.RunAsync("rotate", "-i", cloud.Dir.File("app.enc.yaml"));

        Assert.True(rotated.ExitCode == 0, rotated.StdErr);
        // One unwrap of the old data key, one wrap of the new one per key.
        Assert.Equal((2, 2, 2, 1), cloud.Calls());
        var after = await File.ReadAllTextAsync(cloud.Dir.File("app.enc.yaml"));
        Assert.Equal(3, EncValues(after).Length);
        Assert.Empty(EncValues(before).Intersect(EncValues(after)));
        Assert.NotEqual(PasswordCiphertext().Match(before).Value, PasswordCiphertext().Match(after).Value);
        await AssertDecryptsAsync(cloud);
    }

    [Fact]
    public async Task Updatekeys_adds_then_removes_a_kms_key_per_sops_yaml_and_the_file_still_decrypts()
    {
        await using var cloud = await Cloud.StartAsync();
        var first = cloud.Aws.CreateKey();
        var second = cloud.Aws.CreateKey();
        var transit = $"{cloud.Vault.Address}v1/transit/keys/app";
        async Task RuleAsync(string kms) => await File.WriteAllTextAsync(cloud.Dir.File(".sops.yaml"), $"""
            creation_rules:
              - path_regex: app(\.enc)?\.yaml$
                kms: {kms}
                hc_vault_transit_uri: {transit}
            """);
        await RuleAsync(first.Arn);
        var encrypted = await cloud.RunAsync("encrypt", "--output", cloud.Dir.File("app.enc.yaml"), cloud.Dir.File("app.yaml"));
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);

        await RuleAsync($"{first.Arn},{second.Arn}");
        var added = await cloud.RunAsync("updatekeys", "-y", cloud.Dir.File("app.enc.yaml"));
        Assert.True(added.ExitCode == 0, added.StdErr);
        var withBoth = await File.ReadAllTextAsync(cloud.Dir.File("app.enc.yaml"));
        Assert.Contains($"arn: {second.Arn}", withBoth, StringComparison.Ordinal);
        Assert.Single(cloud.Aws.Requests, r => r is { Operation: "Encrypt", StatusCode: 200 } && r.Body["KeyId"]?.GetValue<string>() == second.Arn);

        await RuleAsync(second.Arn);
        var removed = await cloud.RunAsync("updatekeys", "-y", cloud.Dir.File("app.enc.yaml"));
        Assert.True(removed.ExitCode == 0, removed.StdErr);
        var withSecond = await File.ReadAllTextAsync(cloud.Dir.File("app.enc.yaml"));
        Assert.DoesNotContain(first.Arn, withSecond, StringComparison.Ordinal);
        Assert.Contains($"arn: {second.Arn}", withSecond, StringComparison.Ordinal);
        Assert.Equal(PasswordCiphertext().Match(withBoth).Value, PasswordCiphertext().Match(withSecond).Value);

        // Only the added KMS key can decrypt now: its entry holds the same data key.
        cloud.Vault.SetSealed(true);
        await AssertDecryptsAsync(cloud);
        Assert.Contains(cloud.Aws.Requests, r => r is { Operation: "Decrypt", StatusCode: 200 } && r.Body["KeyId"]?.GetValue<string>() == second.Arn);
    }

    [GeneratedRegex(@"(?m)^\s+enc: (\S+)$")]
    private static partial Regex EncLine();

    [GeneratedRegex(@"password: ENC\[[^\]]+\]")]
    private static partial Regex PasswordCiphertext();
}
