using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Vectors;

/// <summary>Vectors without an expected/ record: they must decrypt with a verified MAC.</summary>
public sealed class PostQuantumVectorTests
{
    [VectorFact("sops")]
    public async Task Flux_post_quantum_age_vector_decrypts_with_a_valid_mac()
    {
        var sops = new YamlStore().LoadEncrypted(File.ReadAllBytes(VectorKeys.Path("flux", "current", "algorithms__age-pq.yaml")));
        Assert.StartsWith("age1pq1", sops.Metadata.KeyGroups[0][0]["recipient"], StringComparison.Ordinal);

        using var decrypted = await SopsEngine.DecryptAsync(sops, new DataKeyRecovery(VectorKeys.Registry()), ignoreMac: false, CancellationToken.None);

        Assert.Contains(TreeLeaves.Collect(decrypted.Documents), leaf => leaf.Aad == "stringData:key:");
    }
}
