using Secrets.Age;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Aws;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.Cli.Tests.KeyServices;

/// <summary>
/// End to end: <c>secrets encrypt</c> with --kms / --hc-vault-transit and .sops.yaml key groups against the loopback
/// fakes, then <c>secrets decrypt</c>. The AWS SDK reads the process environment, so these tests share one collection.
/// </summary>
[Collection(nameof(CloudKeyEnvironment))]
public sealed class CloudKeyCliTests
{
    private const string Plain = "db:\n    user: admin\n    password: s3cret\nport: 5432\n";

    private static (CliRunner Runner, TempDirectory Dir) Setup(FakeVault? vault = null)
    {
        var dir = new TempDirectory();
        var runner = new CliRunner { CurrentDirectory = dir.Path };
        runner.Environment["HOME"] = dir.Path;
        if (vault is not null)
        {
            runner.Environment["VAULT_TOKEN"] = vault.RootToken;
        }

        File.WriteAllText(dir.File("app.yaml"), Plain);
        return (runner, dir);
    }

    private static async Task<string> EncryptThenDecryptAsync(CliRunner runner, TempDirectory dir, params string[] keyFlags)
    {
        var encrypted = await runner.RunAsync(["encrypt", .. keyFlags, "--output", dir.File("app.enc.yaml"), dir.File("app.yaml")]);
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        var decrypted = await runner.RunAsync("decrypt", dir.File("app.enc.yaml"));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        return decrypted.StdOutText;
    }

    [Fact]
    public async Task Vault_transit_flag_round_trips_a_yaml_file()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit("sops/transit");
        var (runner, dir) = Setup(vault);
        using var _ = dir;
        var uri = $"{vault.Address}v1/sops/transit/keys/app";

        var decrypted = await EncryptThenDecryptAsync(runner, dir, "--hc-vault-transit", uri);

        Assert.Equal(Plain, decrypted);
        var file = await File.ReadAllTextAsync(dir.File("app.enc.yaml"));
        Assert.Contains("hc_vault:", file, StringComparison.Ordinal);
        Assert.Contains("engine_path: sops/transit", file, StringComparison.Ordinal);
        Assert.Contains("enc: vault:v1:", file, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vault_failure_on_decrypt_is_a_clear_error_without_a_stack_trace()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        var (runner, dir) = Setup(vault);
        using var _ = dir;
        await EncryptThenDecryptAsync(runner, dir, "--hc-vault-transit", $"{vault.Address}v1/transit/keys/app");

        runner.Environment["VAULT_TOKEN"] = vault.CreateToken(["secret/"]);
        var denied = await runner.RunAsync("decrypt", dir.File("app.enc.yaml"));

        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("error:", denied.StdErr, StringComparison.Ordinal);
        Assert.Contains("403", denied.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", denied.StdErr, StringComparison.Ordinal);
        Assert.Empty(denied.StdOut);
    }

    [Fact]
    public async Task Kms_flag_with_encryption_context_round_trips()
    {
        await using var aws = await FakeAws.StartAsync();
        using var environment = CloudKeyEnvironment.Aws(aws);
        var key = aws.CreateKey();
        var (runner, dir) = Setup();
        using var _ = dir;

        var decrypted = await EncryptThenDecryptAsync(runner, dir, "--kms", key.Arn, "--encryption-context", "app:web,env:prod");

        Assert.Equal(Plain, decrypted);
        var file = await File.ReadAllTextAsync(dir.File("app.enc.yaml"));
        Assert.Contains($"arn: {key.Arn}", file, StringComparison.Ordinal);
        Assert.Contains("app: web", file, StringComparison.Ordinal);
        Assert.Contains("aws_profile: \"\"", file, StringComparison.Ordinal);
        Assert.Contains(aws.Requests, r => r.Operation == "Decrypt" && r.Body["EncryptionContext"]?["env"]?.GetValue<string>() == "prod");
    }

    [Fact]
    public async Task Mixed_key_groups_under_shamir_decrypt_with_any_two_groups()
    {
        await using var aws = await FakeAws.StartAsync();
        using var environment = CloudKeyEnvironment.Aws(aws);
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        var kmsKey = aws.CreateKey();
        var age = X25519Identity.Generate();
        var (runner, dir) = Setup(vault);
        using var _ = dir;
        await File.WriteAllTextAsync(dir.File(".sops.yaml"), $"""
            creation_rules:
              - path_regex: app\.yaml$
                shamir_threshold: 2
                key_groups:
                  - age: [{age.Recipient}]
                  - hc_vault: [{vault.Address}v1/transit/keys/app]
                  - kms:
                      - arn: {kmsKey.Arn}
                        context: {"{"}team: a{"}"}
            """);

        var encrypted = await runner.RunAsync("encrypt", "--output", dir.File("app.enc.yaml"), dir.File("app.yaml"));
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        runner.Environment["SOPS_AGE_KEY"] = age.ToString();
        aws.SetKeyAccessDenied(kmsKey, true);
        var ageAndVault = await runner.RunAsync("decrypt", dir.File("app.enc.yaml"));
        aws.SetKeyAccessDenied(kmsKey, false);
        vault.SetSealed(true);
        var ageAndKms = await runner.RunAsync("decrypt", dir.File("app.enc.yaml"));
        runner.Environment.Remove("SOPS_AGE_KEY");
        var kmsOnly = await runner.RunAsync("decrypt", dir.File("app.enc.yaml"));

        var file = await File.ReadAllTextAsync(dir.File("app.enc.yaml"));
        Assert.Contains("key_groups:", file, StringComparison.Ordinal);
        Assert.Contains("shamir_threshold: 2", file, StringComparison.Ordinal);
        Assert.True(ageAndVault.ExitCode == 0, ageAndVault.StdErr);
        Assert.Equal(Plain, ageAndVault.StdOutText);
        Assert.True(ageAndKms.ExitCode == 0, ageAndKms.StdErr);
        Assert.Equal(Plain, ageAndKms.StdOutText);
        Assert.Equal(128, kmsOnly.ExitCode);
    }
}

[CollectionDefinition(nameof(CloudKeyEnvironment), DisableParallelization = true)]
public sealed class CloudKeyEnvironment
{
    /// <summary>Points the AWS SDK at a fake the production way (standard variables only; test-infra.md §3).</summary>
    public static IDisposable Aws(FakeAws aws) => new EnvironmentScope(new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL_KMS"] = aws.BaseAddress.ToString(),
        ["AWS_ENDPOINT_URL_STS"] = aws.BaseAddress.ToString(),
        ["AWS_ACCESS_KEY_ID"] = "AKIDCLITEST",
        ["AWS_SECRET_ACCESS_KEY"] = "fake-secret",
        ["AWS_REGION"] = aws.Region,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_MAX_ATTEMPTS"] = "1",
    });
}
