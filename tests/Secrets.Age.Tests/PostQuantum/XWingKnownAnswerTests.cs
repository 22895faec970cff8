using Secrets.Age.PostQuantum;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>X-Wing against draft-connolly-cfrg-xwing-kem-08 Appendix C (<see cref="XWingVectors"/>).</summary>
public sealed class XWingKnownAnswerTests
{
    public static TheoryData<string> Vectors => [.. XWingVectors.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_public_key_derived_from_the_seed_matches_the_draft(string name)
    {
        var vector = XWingVectors.All.Single(v => v.Name == name);
        var publicKey = MlKem768X25519.PublicKeyFromSeed(XWingVectors.Hex(vector.Seed));

        Assert.Equal(XWingVectors.Hex(vector.PublicKey), publicKey);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encapsulation_with_the_drafts_randomness_gives_its_ciphertext_and_shared_secret(string name)
    {
        var vector = XWingVectors.All.Single(v => v.Name == name);
        var ciphertext = new byte[XWing.CiphertextSize];
        var sharedSecret = new byte[XWing.SharedSecretSize];

        var ok = XWing.TryEncapsulate(
            XWingVectors.Hex(vector.PublicKey), XWingVectors.Hex(vector.EncapsulationSeed), ciphertext, sharedSecret);

        Assert.True(ok);
        Assert.Equal(XWingVectors.Hex(vector.Ciphertext), ciphertext);
        Assert.Equal(XWingVectors.Hex(vector.SharedSecret), sharedSecret);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decapsulation_recovers_the_drafts_shared_secret(string name)
    {
        var vector = XWingVectors.All.Single(v => v.Name == name);
        var sharedSecret = new byte[XWing.SharedSecretSize];

        var ok = XWing.TryDecapsulate(XWingVectors.Hex(vector.Seed), XWingVectors.Hex(vector.Ciphertext), sharedSecret);

        Assert.True(ok);
        Assert.Equal(XWingVectors.Hex(vector.SharedSecret), sharedSecret);
    }
}
