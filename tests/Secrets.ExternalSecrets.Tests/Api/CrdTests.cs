using Secrets.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Secrets.ExternalSecrets.Tests.Api;

/// <summary>Our CRDs (controller/deploy/external-secrets/crds) stay compatible with upstream: same names and scope, v1 served and stored, same ExternalSecret schema.</summary>
public sealed class CrdTests
{
    [VectorTheory(EsoVectors.Folder)]
    [InlineData("externalsecrets")]
    [InlineData("secretstores")]
    [InlineData("clustersecretstores")]
    [InlineData("clusterexternalsecrets")]
    public void Crd_matches_the_upstream_v1_definition(string plural)
    {
        var ours = Load(Path.Combine(RepoPaths.Root, "controller", "deploy", "external-secrets", "crds", $"external-secrets.io_{plural}.yaml"));
        var upstream = Load(EsoVectors.Crd($"external-secrets.io_{plural}.yaml"));
        Assert.Equal(Text(upstream, "spec", "names"), Text(ours, "spec", "names"));
        Assert.Equal(Text(upstream, "spec", "scope"), Text(ours, "spec", "scope"));
        var version = Assert.Single(((YamlSequenceNode)ours["spec"]["versions"]).Children);
        Assert.Equal(("v1", "true", "true"), (version["name"].ToString(), version["served"].ToString(), version["storage"].ToString()));
        var upstreamV1 = ((YamlSequenceNode)upstream["spec"]["versions"]).Children.Single(v => v["name"].ToString() == "v1");
        Assert.Equal(new YamlStream(new YamlDocument(upstreamV1["subresources"])).ToString(), new YamlStream(new YamlDocument(version["subresources"])).ToString());
        if (plural.EndsWith("secretstores", StringComparison.Ordinal))
        {
            var providers = (YamlMappingNode)version["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["provider"]["properties"];
            Assert.Equal(["aws", "azurekv", "fake", "kubernetes", "vault"], providers.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Equal(Canonical(upstreamV1["schema"]), Canonical(version["schema"]));
        }
    }

    private static YamlNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents[0].RootNode;
    }

    private static string Text(YamlNode node, params string[] path) => Serialize(path.Aggregate(node, (n, p) => n[p]));

    // Structure and values only: scalar styles (|- blocks, quotes) differ between YAML writers.
    private static string Canonical(YamlNode node) => node switch
    {
        YamlMappingNode map => "{" + string.Join(",", map.Children.Select(kv => kv.Key + ":" + Canonical(kv.Value))) + "}",
        YamlSequenceNode list => "[" + string.Join(",", list.Children.Select(Canonical)) + "]",
        _ => ((YamlScalarNode)node).Value ?? "",
    };

    private static string Serialize(YamlNode node)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
