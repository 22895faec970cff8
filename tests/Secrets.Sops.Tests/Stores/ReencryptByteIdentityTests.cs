using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;
using Secrets.Sops.Tests.Vectors;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Stores;

/// <summary>
/// JSON, dotenv and INI vectors: decrypting and encrypting again with the same data key, IVs and lastmodified gives
/// sops' data bytes back (sops.md §6.2–§6.4). The metadata is written in 3.13's layout, so whole files only match
/// where the vector was written by 3.13 itself.
/// </summary>
public sealed class ReencryptByteIdentityTests
{
    public static TheoryData<string> NonYamlVectors()
    {
        var data = new TheoryData<string>();
        foreach (string row in SopsVectorTests.ExpectedFiles())
        {
            var name = row;
            if (!name.Contains(".yaml.", StringComparison.Ordinal) && !name.StartsWith('('))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [VectorTheory("sops")]
    [MemberData(nameof(NonYamlVectors))]
    public async Task Encrypting_again_with_the_same_key_and_ivs_gives_sops_data_bytes(string expectedFile)
    {
        var expected = JsonNode.Parse(File.ReadAllText(VectorKeys.Path("expected", expectedFile)))!;
        var file = (string)expected["file"]!;
        var format = (string)expected["format"]!;
        var original = Encoding.UTF8.GetString(File.ReadAllBytes(VectorKeys.Path(file.Split('/'))));
        var store = StoreFactory.Create(format, jsonIndent: JsonIndent(original));
        var sops = store.LoadEncrypted(Encoding.UTF8.GetBytes(original));
        var lastModified = DateTimeOffset.Parse(sops.Metadata.LastModified, CultureInfo.InvariantCulture);
        using var decrypted = await SopsEngine.DecryptAsync(sops, new DataKeyRecovery(VectorKeys.Registry()), ignoreMac: !(bool)expected["mac_ok"]!, CancellationToken.None);

        var again = Encoding.UTF8.GetString(store.EmitEncrypted(decrypted.Reencrypt(new FixedTime(lastModified))));

        Assert.Equal(DataPart(format, original), DataPart(format, again));
        // 3.13.0/3.13.1 wrote INI metadata as go-ini """ values; we write 3.13.2's \n escapes (sops.md §6.4).
        var version = sops.Metadata.Version;
        if (version.StartsWith("3.13.", StringComparison.Ordinal) && !(format == "ini" && version is "3.13.0" or "3.13.1"))
        {
            Assert.Equal(original, again);
        }
    }

    /// <summary>TAB (sops' default) or the number of spaces the vector was written with (humphd's uses 2).</summary>
    private static int JsonIndent(string text) =>
        text.StartsWith("{\n ", StringComparison.Ordinal) ? text[2..].TakeWhile(c => c == ' ').Count() : -1;

    private static string DataPart(string format, string text) => format switch
    {
        "dotenv" => string.Concat(text.Split('\n').Where(line => !line.StartsWith("sops_", StringComparison.Ordinal)).Select(line => line + "\n")),
        "ini" => text[..text.IndexOf("[sops]", StringComparison.Ordinal)],
        _ => text[..text.IndexOf("\"sops\":", StringComparison.Ordinal)],
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
