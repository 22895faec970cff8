using System.Text;
using System.Text.Json.Nodes;
using Secrets.Interop.Tests.Seal;
using Secrets.Pgp;
using Secrets.Sops.Keys.Pgp;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Sops;

/// <summary>
/// Our sops output decrypts with independent implementations: the npm package sops-age (age-keyed YAML, JSON, dotenv,
/// MAC checked) and gpg for the PGP-wrapped data key. Real sops output decrypting with ours is covered by the vector
/// tests in Secrets.Sops.Tests (no sops binary is installable here).
/// </summary>
public sealed class SopsPeerInteropTests : IDisposable
{
    private static readonly Secrets.Age.X25519Identity Key = Secrets.Age.X25519Identity.Generate();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [ToolTheory("node")]
    [InlineData("secret.yaml", "yaml", "password: hunter2\nport: 5432\nratio: 0.5\nenabled: true\nnested:\n    list:\n        - a\n        - b\n")]
    [InlineData("secret.json", "json", "{\"password\": \"hunter2\", \"port\": 5432, \"ratio\": 0.5, \"enabled\": true, \"nested\": {\"list\": [\"a\", \"b\"]}}")]
    [InlineData("secret.env", "env", "PASSWORD=hunter2\nPORT=5432\n")]
    public async Task Sops_age_package_decrypts_our_files(string name, string fileType, string plaintext)
    {
        File.WriteAllText(_dir.File(name), plaintext);
        var encrypted = await SealCli.RunAsync(null, _dir.Path, "encrypt", "--age", Key.Recipient.ToString(), name);
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);

        var node = await Tools.RunAsync(
            "node",
            [Path.Combine(RepoPaths.Root, "tests", "Secrets.Interop.Tests", "Sops", "sops-age-decrypt.mjs"), Path.Combine(RepoPaths.Root, "tests", "peers"), fileType],
            encrypted.StdOut,
            environment: new Dictionary<string, string?> { ["SOPS_AGE_KEY"] = Key.ToString() },
            timeout: TimeSpan.FromSeconds(60));

        Assert.True(node.ExitCode == 0, node.StdErr);
        var result = JsonNode.Parse(node.StdOutText)!;
        Assert.Equal("hunter2", (string)(result["password"] ?? result["PASSWORD"])!);
        if (fileType != "env")
        {
            Assert.Equal(5432, (int)result["port"]!);
            Assert.True((bool)result["enabled"]!);
            Assert.Equal("b", (string)result["nested"]!["list"]![1]!);
        }
    }

    [ToolFact("gpg")]
    public async Task Gpg_decrypts_our_pgp_wrapped_data_key()
    {
        var keyFile = RepoPaths.Vector("sops", "keys", "sops_functional_tests_key.asc");
        var source = new PgpKeySource(PgpKeyring.Load([File.ReadAllBytes(keyFile)]));
        var dataKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var entry = await source.Parse("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4").WrapAsync(dataKey, CancellationToken.None);
        Assert.EndsWith("-----END PGP MESSAGE-----", entry.Enc, StringComparison.Ordinal);

        var import = await Tools.RunAsync("gpg", ["--batch", "--homedir", _dir.Path, "--import", keyFile], [], timeout: TimeSpan.FromSeconds(60));
        Assert.True(import.ExitCode == 0, import.StdErr);
        var gpg = await Tools.RunAsync("gpg", ["--batch", "--homedir", _dir.Path, "--decrypt"], Encoding.ASCII.GetBytes(entry.Enc!), timeout: TimeSpan.FromSeconds(60));

        Assert.True(gpg.ExitCode == 0, gpg.StdErr);
        Assert.Equal(dataKey, gpg.StdOut);
    }
}
