using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Vault;
using Xunit.Abstractions;

namespace Secrets.Cli.Tests.Sops;

/// <summary>
/// <c>updatekeys</c> and <c>rotate</c> over many files and folders (issue #3 item 6) with a Vault transit key behind the
/// loopback fake, which delays every transit call: every file is rewritten and still decrypts, the fake saw its calls
/// overlap (a count, never a timing), and one bad file fails alone.
/// </summary>
public sealed partial class SopsMultiFileTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Files = 60;
    private const int Jobs = 8;
    private readonly TempDirectory _dir = new();
    private readonly CliRunner _cli = new();
    private FakeVault _vault = null!;

    private string Key(string name) => $"{_vault.Address}v1/transit/keys/{name}";

    public async Task InitializeAsync()
    {
        _vault = await FakeVault.StartAsync();
        _vault.MountTransit();
        _cli.CurrentDirectory = _dir.Path;
        _cli.Environment["HOME"] = _dir.Path;
        _cli.Environment["VAULT_TOKEN"] = _vault.RootToken;
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Updatekeys_over_a_folder_rewraps_every_file_concurrently_and_each_still_decrypts()
    {
        await EncryptTreeAsync("app");
        await WriteRuleAsync(Key("next"));
        var before = Enumerable.Range(0, Files).Select(i => File.ReadAllText(_dir.File(PathOf(i)))).ToList();
        _vault.Faults.Delay(TimeSpan.FromMilliseconds(20), r => r.Path.StartsWith("transit/", StringComparison.Ordinal));

        var result = await _cli.RunAsync("updatekeys", "-y", "-j", $"{Jobs}", "tree");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.InRange(_vault.InFlight.Max, 2, Jobs);
        Assert.Equal(Files, Regex.Count(result.StdErr, "^warning: updating keys of ", RegexOptions.Multiline));
        Assert.Equal(Files, _vault.Requests.Count(r => r.Path == "transit/decrypt/app" && r.StatusCode == 200));
        Assert.Equal(Files, _vault.Requests.Count(r => r.Path == "transit/encrypt/next" && r.StatusCode == 200));
        for (var i = 0; i < Files; i++)
        {
            var after = File.ReadAllText(_dir.File(PathOf(i)));
            Assert.DoesNotContain("/keys/app", after, StringComparison.Ordinal);
            Assert.Contains("key_name: next", after, StringComparison.Ordinal);
            Assert.Equal(Values(before[i]), Values(after));
        }

        // The old key is gone from Vault's point of view too: only the new entries can open the files now.
        _vault.Faults.Clear();
        _vault.Faults.FailNext(int.MaxValue, VaultFault.PermissionDenied, r => r.Path == "transit/decrypt/app");
        await AssertAllDecryptAsync();
    }

    [Fact]
    public async Task Rotate_over_files_and_folders_gives_each_a_new_data_key_and_reports_a_bad_file_alone()
    {
        await EncryptTreeAsync("app");
        var before = File.ReadAllText(_dir.File(PathOf(7)));
        var tampered = File.ReadAllText(_dir.File(PathOf(3))).Replace("note_unencrypted: file 3", "note_unencrypted: changed", StringComparison.Ordinal);
        File.WriteAllText(_dir.File(PathOf(3)), tampered);
        File.WriteAllText(_dir.File("plain.yaml"), "password: not encrypted\n");
        _vault.Faults.Delay(TimeSpan.FromMilliseconds(20), r => r.Path.StartsWith("transit/", StringComparison.Ordinal));

        var result = await _cli.RunAsync("rotate", "-i", "-j", $"{Jobs}", "--add-hc-vault-transit", Key("next"), "tree", "plain.yaml");

        Assert.Equal(51, result.ExitCode);
        var errors = result.StdErr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"error: {PathOf(3)}: MAC mismatch", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("error: plain.yaml: ", errors[1], StringComparison.Ordinal);
        Assert.Equal(tampered, File.ReadAllText(_dir.File(PathOf(3))));
        Assert.Equal("password: not encrypted\n", File.ReadAllText(_dir.File("plain.yaml")));
        Assert.InRange(_vault.InFlight.Max, 2, Jobs * 2);
        var after = File.ReadAllText(_dir.File(PathOf(7)));
        Assert.Empty(Values(before).Intersect(Values(after)));
        Assert.Contains("key_name: next", after, StringComparison.Ordinal);
        Assert.Equal(Files - 1, _vault.Requests.Count(r => r.Path == "transit/encrypt/next" && r.StatusCode == 200));

        await AssertAllDecryptAsync(skip: 3);
        Assert.DoesNotContain("hunter", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rotate", "tree")]
    [InlineData("rotate", "-i", "--output", "x.yaml", "tree/a", "tree/b")]
    [InlineData("updatekeys", "--filename-override", "x.yaml", "tree")]
    [InlineData("updatekeys", "empty")]
    public async Task Multi_file_forms_refuse_single_file_flags_and_empty_folders(params string[] args)
    {
        Directory.CreateDirectory(_dir.File("tree"));
        Directory.CreateDirectory(_dir.File("empty"));

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Wall time of updatekeys and rotate over 200 files with 20 ms added to every transit call, sequential (-j 1) and
    /// concurrent (in process, loopback fake; scripts/bench-sops-multifile.sh prints it). Figures only.
    /// </summary>
    [BenchFact("scripts/bench-sops-multifile.sh")]
    public async Task Benchmark_many_files_with_a_slow_key_service()
    {
        const int count = 200;
        await EncryptTreeAsync("app", count);
        _vault.Faults.Delay(TimeSpan.FromMilliseconds(20), r => r.Path.StartsWith("transit/", StringComparison.Ordinal));
        var key = "app";
        foreach (var (command, jobs) in new[] { ("updatekeys", 1), ("updatekeys", 8), ("updatekeys", 32), ("rotate", 1), ("rotate", 8), ("rotate", 32) })
        {
            var before = _vault.Requests.Count;
            var started = Stopwatch.StartNew();
            CliResult result;
            if (command == "updatekeys")
            {
                key = key == "app" ? "next" : "app";
                await WriteRuleAsync(Key(key));
                result = await _cli.RunAsync("updatekeys", "-y", "-j", $"{jobs}", "tree");
            }
            else
            {
                result = await _cli.RunAsync("rotate", "-i", "-j", $"{jobs}", "tree");
            }

            Assert.True(result.ExitCode == 0, result.StdErr);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{command,-10} {count} files, 20 ms per transit call, -j {jobs,2}: {started.Elapsed.TotalSeconds,6:F2} s wall, {_vault.Requests.Count - before} transit calls"));
        }
    }

    private static string PathOf(int i) => $"tree/team{i % 3}/s{i:00}.yaml";

    private static string[] Values(string file) => [.. EncValue().Matches(file).Select(m => m.Value)];

    private async Task WriteRuleAsync(string transitKey) =>
        await File.WriteAllTextAsync(_dir.File(".sops.yaml"), $"creation_rules:\n  - path_regex: \\.yaml$\n    hc_vault_transit_uri: {transitKey}\n");

    /// <summary>Files encrypted one by one with a transit key (no delay yet), in three sub-folders.</summary>
    private async Task EncryptTreeAsync(string transitKey, int count = Files)
    {
        await WriteRuleAsync(Key(transitKey));
        for (var i = 0; i < count; i++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_dir.File(PathOf(i)))!);
            File.WriteAllText(_dir.File(PathOf(i)), Plain(i));
            var encrypted = await _cli.RunAsync("encrypt", "-i", PathOf(i));
            Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        }
    }

    private async Task AssertAllDecryptAsync(int skip = -1)
    {
        foreach (var i in Enumerable.Range(0, Files).Where(i => i != skip))
        {
            var decrypted = await _cli.RunAsync("decrypt", PathOf(i));
            Assert.True(decrypted.ExitCode == 0, $"{PathOf(i)}: {decrypted.StdErr}");
            Assert.Equal(Plain(i), decrypted.StdOutText);
        }
    }

    private static string Plain(int i) => $"password: hunter{i}\nnote_unencrypted: file {i}\n";

    [GeneratedRegex(@"ENC\[[^\]]+\]")]
    private static partial Regex EncValue();
}
