using System.Text;
using System.Text.Json.Nodes;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Seal;

/// <summary>
/// Our sealed output decrypts with Node's own crypto (unseal.mjs), and values sealed by the npm package
/// @linode/kubeseal-encrypt unseal with ours (sealed-secrets.md §8–9).
/// </summary>
public sealed class NodeSealInteropTests(SealKeyFiles keys) : IClassFixture<SealKeyFiles>
{
    private readonly TempDirectory _dir = keys.Directory;

    [ToolTheory("node")]
    [InlineData("strict")]
    [InlineData("namespace-wide")]
    [InlineData("cluster-wide")]
    public async Task Our_sealed_secrets_decrypt_with_node_crypto_in_every_scope(string scope)
    {
        byte[] binary = [0, 1, 2, 0xff, 0xfe, (byte)'\n', 0x80];
        var secret = $$$"""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"app","namespace":"prod"},
             "data":{"binary":"{{{Convert.ToBase64String(binary)}}}","empty":""},
             "stringData":{"text":"päss wörd\n","multi":"a\nb\n"}}
            """;

        var sealedResult = await SealCli.RunAsync(Encoding.UTF8.GetBytes(secret), _dir.Path, "seal", "--cert", "cert.pem", "--scope", scope);
        Assert.Equal(0, sealedResult.ExitCode);
        var node = await SealCli.NodeAsync("unseal.mjs", sealedResult.StdOut, _dir.File("key.pem"));

        Assert.True(node.ExitCode == 0, node.StdErr);
        var values = JsonNode.Parse(node.StdOutText)!.AsObject();
        Assert.Equal(binary, Convert.FromBase64String((string)values["binary"]!));
        Assert.Empty(Convert.FromBase64String((string)values["empty"]!));
        Assert.Equal("päss wörd\n", Encoding.UTF8.GetString(Convert.FromBase64String((string)values["text"]!)));
        Assert.Equal("a\nb\n", Encoding.UTF8.GetString(Convert.FromBase64String((string)values["multi"]!)));
    }

    [ToolFact("node")]
    public async Task Node_rejects_our_strict_value_under_another_name()
    {
        var sealedResult = await SealCli.RunAsync(Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"app","namespace":"prod"},"stringData":{"k":"v"}}"""), _dir.Path, "seal", "--cert", "cert.pem");
        var renamed = Encoding.UTF8.GetString(sealedResult.StdOut).Replace("\"name\": \"app\"", "\"name\": \"other\"", StringComparison.Ordinal);

        var node = await SealCli.NodeAsync("unseal.mjs", Encoding.UTF8.GetBytes(renamed), _dir.File("key.pem"));

        Assert.NotEqual(0, node.ExitCode);
    }

    [ToolFact("node")]
    public async Task Values_sealed_by_the_npm_package_unseal_with_ours()
    {
        var peers = Path.Combine(RepoPaths.Root, "tests", "peers");
        var values = new JsonObject { ["token"] = "ns-wide-🔑", ["empty"] = "", ["long"] = new string('x', 5000) };
        var node = await SealCli.NodeAsync("kubeseal-encrypt.mjs", Encoding.UTF8.GetBytes(values.ToJsonString()), peers, _dir.File("pub.pem"), "team-a");
        Assert.True(node.ExitCode == 0, node.StdErr);
        var sealedValues = JsonNode.Parse(node.StdOutText)!.AsObject();
        var sealedSecret = new JsonObject
        {
            ["apiVersion"] = "bitnami.com/v1alpha1",
            ["kind"] = "SealedSecret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "any-name",
                ["namespace"] = "team-a",
                ["annotations"] = new JsonObject { ["sealedsecrets.bitnami.com/namespace-wide"] = "true" },
            },
            ["spec"] = new JsonObject { ["encryptedData"] = sealedValues.DeepClone() },
        };

        var result = await SealCli.RunAsync(Encoding.UTF8.GetBytes(sealedSecret.ToJsonString()), _dir.Path, "unseal", "-k", "pkcs8.pem");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var data = JsonNode.Parse(result.StdOutText)!["data"]!;
        foreach (var (item, value) in values)
        {
            Assert.Equal((string)value!, Encoding.UTF8.GetString(Convert.FromBase64String((string)data[item]!)));
        }
    }

    [ToolFact("node")]
    public async Task Npm_package_values_fail_under_strict_scope_as_the_spec_predicts()
    {
        var peers = Path.Combine(RepoPaths.Root, "tests", "peers");
        var node = await SealCli.NodeAsync("kubeseal-encrypt.mjs", """{"k":"v"}"""u8.ToArray(), peers, _dir.File("pub.pem"), "team-a");
        var sealedSecret = $$$"""
            {"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","metadata":{"name":"n","namespace":"team-a"},
             "spec":{"encryptedData":{{{node.StdOutText}}}}}
            """;

        var result = await SealCli.RunAsync(Encoding.UTF8.GetBytes(sealedSecret), _dir.Path, "unseal", "-k", "key.pem");

        Assert.Equal(128, result.ExitCode);
    }
}
