using System.Text;
using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Sops;

/// <summary>The sops-style commands end to end in process: round trips, rules, config, and sops' exit codes.</summary>
public sealed class SopsCliTests : IDisposable
{
    private const string Secret = "apiVersion: v1\nkind: Secret\n# the password\nstringData:\n    password: hunter2\n    port: 5432\n";
    private readonly TempDirectory _dir = new();
    private readonly CliRunner _cli = new();

    public SopsCliTests()
    {
        _cli.CurrentDirectory = _dir.Path;
        File.WriteAllText(_dir.File("key.txt"), $"# demo\n{AgeKeys.Identity}\n");
        File.WriteAllText(_dir.File("secret.yaml"), Secret);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Encrypt_then_decrypt_restores_the_file()
    {
        var encrypted = await _cli.RunAsync("encrypt", "--age", AgeKeys.Recipient, "secret.yaml");
        Assert.Equal(0, encrypted.ExitCode);
        Assert.DoesNotContain("hunter2", encrypted.StdOutText, StringComparison.Ordinal);
        Assert.Contains("mac: ENC[AES256_GCM,", encrypted.StdOutText, StringComparison.Ordinal);
        File.WriteAllBytes(_dir.File("secret.enc.yaml"), encrypted.StdOut);

        _cli.Environment["SOPS_AGE_KEY_FILE"] = _dir.File("key.txt");
        var decrypted = await _cli.RunAsync("decrypt", "secret.enc.yaml");

        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal(Secret, decrypted.StdOutText);
    }

    [Fact]
    public async Task Sops_yaml_rule_chooses_keys_and_encrypted_regex()
    {
        File.WriteAllText(_dir.File(".sops.yaml"), $"creation_rules:\n  - path_regex: \\.txt$\n    pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n  - path_regex: secret\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: {AgeKeys.Recipient}\n");

        var result = await _cli.RunAsync("encrypt", "-i", "secret.yaml");

        Assert.Equal(0, result.ExitCode);
        var text = File.ReadAllText(_dir.File("secret.yaml"));
        Assert.Contains("kind: Secret", text, StringComparison.Ordinal);
        Assert.Contains("password: ENC[", text, StringComparison.Ordinal);
        Assert.Contains(AgeKeys.Recipient, text, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_gets_sops_exit_codes()
    {
        var encrypted = (await _cli.RunAsync("encrypt", "--age", AgeKeys.Recipient, "secret.yaml")).StdOutText;
        File.WriteAllText(_dir.File("e.yaml"), encrypted);

        Assert.Equal(128, (await _cli.RunAsync("decrypt", "e.yaml")).ExitCode);
        Assert.Equal(203, (await _cli.RunAsync("encrypt", "--age", AgeKeys.Recipient, "e.yaml")).ExitCode);

        _cli.Environment["SOPS_AGE_KEY"] = AgeKeys.Identity;
        File.WriteAllText(_dir.File("t.yaml"), encrypted.Replace("apiVersion: ENC", "apiVersion: X", StringComparison.Ordinal));
        Assert.Equal(4, (await _cli.RunAsync("decrypt", "t.yaml")).ExitCode);

        var lastModified = encrypted.Split('\n').First(l => l.Contains("lastmodified", StringComparison.Ordinal));
        File.WriteAllText(_dir.File("m.yaml"), encrypted.Replace(lastModified, "    lastmodified: \"2001-01-01T00:00:00Z\"", StringComparison.Ordinal));
        var mac = await _cli.RunAsync("decrypt", "m.yaml");
        Assert.Equal(51, mac.ExitCode);
        Assert.StartsWith("error: cannot decrypt the MAC", mac.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunAsync("decrypt", "--ignore-mac", "m.yaml")).ExitCode);

        Assert.Equal(91, (await _cli.RunAsync("decrypt", "--extract", "[\"nope\"]", "e.yaml")).ExitCode);
        Assert.Equal(100, (await _cli.RunAsync("decrypt", "missing.yaml")).ExitCode);
    }

    [Fact]
    public async Task Set_unset_and_extract_work_in_place()
    {
        _cli.Environment["SOPS_AGE_KEY"] = AgeKeys.Identity;
        Assert.Equal(0, (await _cli.RunAsync("encrypt", "-i", "--age", AgeKeys.Recipient, "secret.yaml")).ExitCode);
        var before = File.ReadAllText(_dir.File("secret.yaml"));

        Assert.Equal(0, (await _cli.RunAsync("set", "secret.yaml", "[\"stringData\"][\"user\"]", "\"admin\"")).ExitCode);
        Assert.Equal("admin", (await _cli.RunAsync("decrypt", "--extract", "[\"stringData\"][\"user\"]", "secret.yaml")).StdOutText);
        var after = File.ReadAllText(_dir.File("secret.yaml"));
        var passwordLine = before.Split('\n').First(l => l.Contains("password:", StringComparison.Ordinal));
        Assert.Contains(passwordLine, after, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.RunAsync("unset", "secret.yaml", "[\"stringData\"][\"port\"]")).ExitCode);
        Assert.Equal(91, (await _cli.RunAsync("unset", "secret.yaml", "[\"stringData\"][\"port\"]")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("unset", "--idempotent", "secret.yaml", "[\"stringData\"][\"port\"]")).ExitCode);
        Assert.DoesNotContain("port", (await _cli.RunAsync("decrypt", "secret.yaml")).StdOutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filestatus_edit_rotate_and_exec()
    {
        _cli.Environment["SOPS_AGE_KEY"] = AgeKeys.Identity;
        Assert.Equal("{\"encrypted\":false}\n", (await _cli.RunAsync("filestatus", "secret.yaml")).StdOutText);
        await _cli.RunAsync("encrypt", "-i", "--age", AgeKeys.Recipient, "secret.yaml");
        Assert.Equal("{\"encrypted\":true}\n", (await _cli.RunAsync("filestatus", "secret.yaml")).StdOutText);

        _cli.Environment["EDITOR"] = "true";
        Assert.Equal(200, (await _cli.RunAsync("edit", "secret.yaml")).ExitCode);
        _cli.Environment["EDITOR"] = "sed -i s/hunter2/changed/";
        Assert.Equal(0, (await _cli.RunAsync("edit", "secret.yaml")).ExitCode);
        Assert.Contains("changed", (await _cli.RunAsync("decrypt", "secret.yaml")).StdOutText, StringComparison.Ordinal);

        var beforeRotate = File.ReadAllText(_dir.File("secret.yaml"));
        Assert.Equal(0, (await _cli.RunAsync("rotate", "-i", "secret.yaml")).ExitCode);
        Assert.NotEqual(beforeRotate, File.ReadAllText(_dir.File("secret.yaml")));
        Assert.Contains("changed", (await _cli.RunAsync("decrypt", "secret.yaml")).StdOutText, StringComparison.Ordinal);

        File.WriteAllText(_dir.File("app.env"), "TOKEN=abc\n");
        await _cli.RunAsync("encrypt", "-i", "--age", AgeKeys.Recipient, "app.env");
        Assert.Equal(7, (await _cli.RunAsync("exec-env", "app.env", "test \"$TOKEN\" = abc && exit 7")).ExitCode);
        Assert.Equal(9, (await _cli.RunAsync("exec-file", "app.env", "grep -q TOKEN=abc {} && exit 9")).ExitCode);
    }

    [VectorFact("sops")]
    public async Task Real_sops_pgp_file_decrypts_with_keys_from_gnupghome()
    {
        File.Copy(RepoPaths.Vector("sops", "keys", "sops_functional_tests_key.asc"), _dir.File("key.asc"));
        _cli.Environment["GNUPGHOME"] = _dir.Path;

        var result = await _cli.RunAsync("decrypt", "--extract", "[\"app2\"][\"db\"][\"user\"]", RepoPaths.Vector("sops", "sops-repo", "example.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("eve", Encoding.UTF8.GetString(result.StdOut));
    }
}

/// <summary>A throwaway age key pair for the CLI tests (not a secret: generated for these tests only).</summary>
internal static class AgeKeys
{
    private static readonly Secrets.Age.X25519Identity Key = Secrets.Age.X25519Identity.Generate();

    public static string Identity => Key.ToString();

    public static string Recipient => Key.Recipient.ToString();
}
