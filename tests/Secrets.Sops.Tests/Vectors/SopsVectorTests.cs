using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Vectors;

/// <summary>
/// Every verified real-sops vector (../shared/vectors/sops/expected) decrypts with our engine to the recorded data key,
/// AADs and plaintext bytes, and its MAC verifies exactly when sops' did.
/// </summary>
public sealed class SopsVectorTests
{
    public static TheoryData<string> ExpectedFiles()
    {
        var data = new TheoryData<string>();
        var folder = RepoPaths.SharedVectors is { } root ? Path.Combine(root, "sops", "expected") : null;
        if (folder is null || !Directory.Exists(folder))
        {
            data.Add("(vectors absent)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.expected.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [VectorTheory("sops")]
    [MemberData(nameof(ExpectedFiles))]
    public async Task Vector_decrypts_to_the_expected_leaves(string expectedFile)
    {
        var expected = JsonNode.Parse(File.ReadAllText(VectorKeys.Path("expected", expectedFile)))!;
        var file = (string)expected["file"]!;
        var format = (string)expected["format"]!;
        var store = StoreFactory.Create(format);
        var sops = store.LoadEncrypted(File.ReadAllBytes(VectorKeys.Path(file.Split('/'))));

        var recovery = new DataKeyRecovery(VectorKeys.Registry());
        var dataKey = await recovery.RecoverAsync(sops.Metadata, CancellationToken.None);
        Assert.Equal((string)expected["data_key_hex"]!, Convert.ToHexStringLower(dataKey));

        using var decrypted = await SopsEngine.DecryptAsync(sops, recovery, ignoreMac: true, CancellationToken.None);
        var leaves = TreeLeaves.Collect(decrypted.Documents);
        var expectedLeaves = expected["leaves_in_mac_order"]!.AsArray().Select(l => ((string)l!["aad"]!, (string)l["mac_bytes"]!)).ToList();
        Assert.Equal(expectedLeaves, leaves);

        if ((bool)expected["mac_ok"]!)
        {
            using var verified = await SopsEngine.DecryptAsync(sops, recovery, ignoreMac: false, CancellationToken.None);
        }
        else
        {
            await Assert.ThrowsAsync<IntegrityException>(() => SopsEngine.DecryptAsync(sops, recovery, ignoreMac: false, CancellationToken.None));
        }
    }
}
