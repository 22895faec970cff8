using System.Text.Json;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Age;

/// <summary>Runs typage.mjs (beside this file) with node against the npm peers installed in tests/peers.</summary>
internal static class Typage
{
    public static async Task<byte[]> RunAsync(byte[] stdin, params string[] arguments)
    {
        var nodeModules = Path.Combine(RepoPaths.Root, "tests", "peers", "node_modules");
        Assert.True(
            Directory.Exists(Path.Combine(nodeModules, "age-encryption")),
            $"{nodeModules} lacks age-encryption: run (cd tests/peers && npm ci --no-audit --no-fund)");
        var script = Path.Combine(RepoPaths.Root, "tests", "Secrets.Interop.Tests", "Age", "typage.mjs");

        var result = await Tools.RunAsync(Tools.Find("node")!, [script, nodeModules, .. arguments], stdin, timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"node typage.mjs {arguments[0]} failed: {result.StdErr}");
        return result.StdOut;
    }

    public static async Task<(string Identity, string Recipient)> KeygenAsync(bool postQuantum)
    {
        var json = JsonDocument.Parse(await RunAsync([], postQuantum ? "keygen-pq" : "keygen")).RootElement;
        return (json.GetProperty("identity").GetString()!, json.GetProperty("recipient").GetString()!);
    }
}
