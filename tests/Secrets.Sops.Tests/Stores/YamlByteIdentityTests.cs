using System.Globalization;
using System.Text;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;
using Secrets.Sops.Tests.Vectors;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Stores;

/// <summary>
/// Byte compatibility with sops' YAML output (sops.md §6.1, §11): files written by sops 3.7+ (go-yaml v3) are read and
/// written again unchanged, and decrypting then encrypting again with the same data key, IVs and lastmodified gives
/// sops' bytes back.
/// </summary>
public sealed class YamlByteIdentityTests
{
    /// <summary>Vectors written by go-yaml v3 (sops ≥ 3.7), with the indent they were written with.</summary>
    public static TheoryData<string, int> GoYamlV3Files() => new()
    {
        { "sops-repo/example.yaml", 4 },
        { "sops-repo/functional-tests__res__format.enc.yaml", 4 },
        { "flux/current/algorithms__age.yaml", 2 },
        { "flux/current/algorithms__pgp.yaml", 2 },
        { "flux/current/algorithms__age-pq.yaml", 2 },
        { "flux/current/global__secret.yaml", 2 },
        { "flux/current/patches__merge1.yaml", 2 },
        { "flux/current/patches__merge2.yaml", 2 },
        { "flux/historic/sops__month__month.yaml", 4 },
        { "flux/historic/sops__secret.age.yaml", 4 },
        { "flux/historic/sops__secret.yaml", 4 },
        { "other/humphd-sops-age/tests__data__secret.enc.yaml", 2 },
    };

    [VectorTheory("sops")]
    [MemberData(nameof(GoYamlV3Files))]
    public void Reading_and_writing_a_sops_file_keeps_every_byte(string file, int indent)
    {
        var original = File.ReadAllBytes(VectorKeys.Path(file.Split('/')));
        var store = new YamlStore(indent);

        var written = store.EmitPlain(store.LoadPlain(original));

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(written));
    }

    /// <summary>
    /// Loaded as an encrypted file, the ENC[…] values stay UTF-8 (<see cref="Tree.EncText"/>) until decrypted; written
    /// back without decrypting (what <c>updatekeys</c> does) the data part is sops' bytes.
    /// </summary>
    [VectorTheory("sops")]
    [MemberData(nameof(GoYamlV3Files))]
    public void An_encrypted_file_written_back_without_decrypting_keeps_its_data_bytes(string file, int indent)
    {
        var original = Encoding.UTF8.GetString(File.ReadAllBytes(VectorKeys.Path(file.Split('/'))));
        var store = new YamlStore(indent);

        var sops = store.LoadEncrypted(Encoding.UTF8.GetBytes(original));
        var again = Encoding.UTF8.GetString(store.EmitEncrypted(sops));

        Assert.Contains(sops.Documents.SelectMany(Leaves), value => value is Tree.EncText);
        Assert.StartsWith("ENC[AES256_GCM,", sops.Metadata.Mac, StringComparison.Ordinal);
        Assert.Equal(DataPart(original), DataPart(again));
    }

    [VectorTheory("sops")]
    [MemberData(nameof(GoYamlV3Files))]
    public async Task Encrypting_again_with_the_same_key_and_ivs_gives_sops_bytes(string file, int indent)
    {
        var original = Encoding.UTF8.GetString(File.ReadAllBytes(VectorKeys.Path(file.Split('/'))));
        var store = new YamlStore(indent);
        var sops = store.LoadEncrypted(Encoding.UTF8.GetBytes(original));
        var lastModified = DateTimeOffset.Parse(sops.Metadata.LastModified, CultureInfo.InvariantCulture);
        using var decrypted = await SopsEngine.DecryptAsync(sops, new DataKeyRecovery(VectorKeys.Registry()), ignoreMac: false, CancellationToken.None);

        var again = Encoding.UTF8.GetString(store.EmitEncrypted(decrypted.Reencrypt(new FixedTime(lastModified))));

        // The data part is sops' own; the metadata block is ours in 3.13's layout (alphabetical keys, empty key
        // lists omitted), so it only matches files that sops 3.13 wrote.
        Assert.Equal(DataPart(original), DataPart(again));
        if (sops.Metadata.Version.StartsWith("3.13.", StringComparison.Ordinal))
        {
            Assert.Equal(original, again);
        }
    }

    /// <summary>
    /// Comments keep their text after <c>#</c> including the leading space, as sops 3.7+ stores (and encrypts) it
    /// (sops.md §6.1), and are written back in place.
    /// </summary>
    [VectorFact("sops")]
    public void Plaintext_comments_keep_their_exact_text()
    {
        var store = new YamlStore();
        var plain = File.ReadAllText(VectorKeys.Path("sops-repo", "functional-tests__res__comments.yaml"));

        var documents = store.LoadPlain(Encoding.UTF8.GetBytes(plain));

        Assert.Equal(new Tree.Comment(" first comment in file"), documents[0][0].Key);
        Assert.Equal(new Tree.Comment(" this-is-a-comment"), documents[0][2].Key);
        Assert.Equal(plain.TrimEnd('\n') + "\n", Encoding.UTF8.GetString(store.EmitPlain(documents)));
    }

    [Theory]
    [InlineData("# c0\nkey1: value\nkey1_a: value\n# ^ c1\n---\nkey2: value2\n")]
    [InlineData("a:\n    b: 1\n    # foot of a\nc:\n    - x\n    # before y\n    - yy\n")]
    [InlineData("list:\n    - name: one\n      value: |\n        line 1\n        line 2\n    - - nested\n      - seq\n")]
    [InlineData("s: 'a: b'\nt: \"yes\"\nu: \"123\"\nv: ' lead'\nw: \"tab\\there\"\nx: \"\"\nm: {}\nl: []\nold:\n    - \"y\"\n    - \"off\"\n    - \"1:20\"\n")]
    public void Go_yaml_v3_layout_is_kept(string yaml)
    {
        var store = new YamlStore();

        Assert.Equal(yaml, Encoding.UTF8.GetString(store.EmitPlain(store.LoadPlain(Encoding.UTF8.GetBytes(yaml)))));
    }

    private static IEnumerable<object?> Leaves(object? value) => value switch
    {
        Tree.TreeBranch branch => branch.SelectMany(item => Leaves(item.Value)),
        Tree.TreeSequence sequence => sequence.SelectMany(Leaves),
        _ => [value],
    };

    private static string DataPart(string yaml) => yaml[..yaml.IndexOf("\nsops:", StringComparison.Ordinal)];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
