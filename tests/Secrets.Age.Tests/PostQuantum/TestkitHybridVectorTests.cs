using Secrets.Age.PostQuantum;
using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>
/// The 19 <c>hybrid*</c> vectors of the C2SP age testkit (read in place from ../shared/vectors/age-testkit), judged
/// at the level of the primitive: what <see cref="MlKem768X25519.TryUnwrap"/> must do with the stanza each file
/// carries. The full verdicts (header MAC, payload, base64 canonicality, argument counts) are the header parser's.
/// </summary>
public sealed class TestkitHybridVectorTests
{
    /// <summary>What the primitive must do with a vector's <c>mlkem768x25519</c> stanza(s).</summary>
    public enum Primitive
    {
        /// <summary>One stanza unwraps to the vector's file key (and that key authenticates the header).</summary>
        Recovers,

        /// <summary>Every stanza returns false: not this identity (wrong key, bad tag, corrupted enc).</summary>
        NotMine,

        /// <summary>The stanza is malformed for the primitive (sizes, low-order share): InvalidFileException.</summary>
        Throws,

        /// <summary>
        /// The bytes unwrap fine; the header-failure verdict comes from stanza parsing (non-canonical base64, an extra
        /// argument), which the age header parser must enforce before calling the primitive.
        /// </summary>
        StanzaLayer,

        /// <summary>There is no stanza of type exactly <c>mlkem768x25519</c>, so the primitive is never asked.</summary>
        NoHybridStanza,
    }

    public static TheoryData<string, Primitive> Vectors => new()
    {
        { "hybrid", Primitive.Recovers },
        { "armor_hybrid", Primitive.Recovers },
        { "hybrid_and_x25519", Primitive.Recovers },
        { "hybrid_grease", Primitive.Recovers },
        { "hybrid_multiple_recipients", Primitive.Recovers },
        { "hybrid_no_match", Primitive.NotMine },
        { "hybrid_bad_tag", Primitive.NotMine },
        { "hybrid_currupted_enc_mlkem", Primitive.NotMine },
        { "hybrid_currupted_enc_x25519", Primitive.NotMine },
        { "hybrid_identity", Primitive.Throws },
        { "hybrid_low_order", Primitive.Throws },
        { "hybrid_long_share", Primitive.Throws },
        { "hybrid_short_share", Primitive.Throws },
        { "hybrid_long_file_key", Primitive.Throws },
        { "hybrid_not_canonical_body", Primitive.StanzaLayer },
        { "hybrid_not_canonical_enc", Primitive.StanzaLayer },
        { "hybrid_extra_argument", Primitive.StanzaLayer },
        { "hybrid_uppercase", Primitive.NoHybridStanza },
        { "hybrid_x25519_arg", Primitive.NoHybridStanza },
    };

    private static readonly Dictionary<string, string> ThrowReasons = new()
    {
        ["hybrid_identity"] = "low-order point",
        ["hybrid_low_order"] = "low-order point",
        ["hybrid_long_share"] = "encapsulated key is 1121 bytes",
        ["hybrid_short_share"] = "encapsulated key is 1119 bytes",
        ["hybrid_long_file_key"] = "body is 41 bytes",
    };

    [VectorFact("age-testkit")]
    public void Every_hybrid_vector_of_the_testkit_is_covered()
    {
        var names = Directory.GetFiles(RepoPaths.Vector("age-testkit"))
            .Select(Path.GetFileName)
            .Where(n => n!.Contains("hybrid", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(names, Vectors.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [VectorTheory("age-testkit")]
    [MemberData(nameof(Vectors))]
    public void The_primitive_handles_the_testkit_vector_as_its_verdict_implies(string name, Primitive expected)
    {
        var vector = TestkitVector.Load(RepoPaths.Vector("age-testkit", name));
        var file = TestAgeFile.Parse(vector.Contents);
        var seed = Assert.Single(vector.HybridSeeds);
        var stanzas = file.HybridStanzas.ToList();

        switch (expected)
        {
            case Primitive.Recovers or Primitive.StanzaLayer:
                Assert.NotEqual("no match", vector.Expect);
                var recovered = stanzas.Select(s => Unwrap(seed, s)).Where(k => k is not null).ToList();
                var fileKey = Assert.Single(recovered);
                Assert.Equal(vector.FileKey, fileKey);
                Assert.True(file.MacVerifies(fileKey!));
                if (expected == Primitive.StanzaLayer)
                {
                    Assert.Equal("header failure", vector.Expect);
                    Assert.Contains(stanzas, s => s.Args.Length != 2 || !IsCanonical(s));
                }
                else
                {
                    Assert.Equal("success", vector.Expect);
                }

                break;

            case Primitive.NotMine:
                Assert.Equal("no match", vector.Expect);
                Assert.NotEmpty(stanzas);
                Assert.All(stanzas, s => Assert.Null(Unwrap(seed, s)));
                break;

            case Primitive.Throws:
                Assert.Equal("header failure", vector.Expect);
                var stanza = Assert.Single(stanzas);
                var error = Assert.Throws<InvalidFileException>(() => Unwrap(seed, stanza));
                Assert.StartsWith("invalid mlkem768x25519 stanza: ", error.Message, StringComparison.Ordinal);
                Assert.Contains(ThrowReasons[name], error.Message, StringComparison.Ordinal);
                break;

            case Primitive.NoHybridStanza:
                Assert.NotEqual("success", vector.Expect);
                Assert.Empty(stanzas);
                break;
        }
    }

    private static byte[]? Unwrap(byte[] seed, TestStanza stanza) =>
        MlKem768X25519.TryUnwrap(seed, TestAgeFile.DecodeBase64(stanza.Args[1]), stanza.Body, out var fileKey) ? fileKey : null;

    private static bool IsCanonical(TestStanza stanza) =>
        TestAgeFile.EncodeBase64(TestAgeFile.DecodeBase64(stanza.Args[1])) == stanza.Args[1]
        && TestAgeFile.EncodeBase64(stanza.Body) == stanza.BodyText;
}
