using System.Text;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>Runs hybrid-oracle.mjs (beside this file) with node against the npm peers installed in tests/peers.</summary>
internal static class HybridOracle
{
    public static async Task<string> RunAsync(string[] arguments, byte[]? stdin = null)
    {
        var nodeModules = Path.Combine(RepoPaths.Root, "tests", "peers", "node_modules");
        Assert.True(
            Directory.Exists(Path.Combine(nodeModules, "age-encryption")),
            $"{nodeModules} lacks age-encryption: run (cd tests/peers && npm ci --no-audit --no-fund)");
        var script = Path.Combine(RepoPaths.Root, "tests", "Secrets.Age.Tests", "PostQuantum", "hybrid-oracle.mjs");

        var result = await Tools.RunAsync(
            Tools.Find("node")!, [script, nodeModules, .. arguments], stdin, timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"node hybrid-oracle.mjs {arguments[0]} failed: {result.StdErr}");
        return Encoding.Latin1.GetString(result.StdOut);
    }
}
