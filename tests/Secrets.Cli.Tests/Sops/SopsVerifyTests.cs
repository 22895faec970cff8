using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Sops;

/// <summary><c>verify</c> over files and folders: one line per file, no plaintext, sops' exit code of the first failure.</summary>
public sealed class SopsVerifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CliRunner _cli = new();

    public SopsVerifyTests()
    {
        _cli.CurrentDirectory = _dir.Path;
        _cli.Environment["SOPS_AGE_KEY"] = AgeKeys.Identity;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_folder_of_files_is_verified_and_a_changed_clear_value_fails_with_51()
    {
        Directory.CreateDirectory(_dir.File("tree/sub"));
        Directory.CreateDirectory(_dir.File("tree/.git"));
        for (var i = 0; i < 12; i++)
        {
            await EncryptAsync($"tree/sub/s{i:00}.yaml", $"password: hunter{i}\nnote_unencrypted: hello\n");
        }

        await EncryptAsync("tree/.git/ignored.yaml", "password: x\n");
        File.WriteAllText(_dir.File("tree/plain.yaml"), "not: encrypted\n");
        var tampered = File.ReadAllText(_dir.File("tree/sub/s05.yaml")).Replace("note_unencrypted: hello", "note_unencrypted: howdy", StringComparison.Ordinal);
        File.WriteAllText(_dir.File("tree/sub/s05.yaml"), tampered);

        var result = await _cli.RunAsync("verify", "-j", "4", "tree");

        Assert.Equal(51, result.ExitCode);
        var lines = result.StdOutText.TrimEnd('\n').Split('\n');
        Assert.Equal(12, lines.Length);
        Assert.Equal("ok   tree/sub/s00.yaml", lines[0]);
        Assert.StartsWith("FAIL tree/sub/s05.yaml: MAC mismatch", lines[5], StringComparison.Ordinal);
        Assert.Equal(11, lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        Assert.DoesNotContain("hunter", result.StdOutText + result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_without_a_usable_key_fail_with_128()
    {
        await EncryptAsync("a.yaml", "k: v\n");
        _cli.Environment.Remove("SOPS_AGE_KEY");
        _cli.Environment["SOPS_AGE_KEY_FILE"] = _dir.File("none.txt");
        File.WriteAllText(_dir.File("none.txt"), "# no keys\n");

        var result = await _cli.RunAsync("verify", "a.yaml");

        Assert.Equal(128, result.ExitCode);
        Assert.StartsWith("FAIL a.yaml: failed to get the data key", result.StdOutText, StringComparison.Ordinal);
    }

    private async Task EncryptAsync(string name, string plain)
    {
        File.WriteAllText(_dir.File(name), plain);
        Assert.Equal(0, (await _cli.RunAsync("encrypt", "-i", "--age", AgeKeys.Recipient, name)).ExitCode);
    }
}
