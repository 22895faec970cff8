using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Secrets.Age.PostQuantum;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>
/// Differential test of X-Wing against @noble/post-quantum 0.5 (the implementation typage uses) on random seeds and
/// encapsulation randomness: key derivation, deterministic encapsulation and decapsulation must agree byte for byte.
/// The draft's known answers pin two points; this covers many more, in one node run.
/// </summary>
public sealed class NobleXWingDifferentialTests
{
    private const int Cases = 24;

    [ToolFact("node")]
    public async Task X_wing_agrees_with_noble_on_random_seeds_and_encapsulation_randomness()
    {
        var inputs = Enumerable.Range(0, Cases)
            .Select(_ => (Seed: RandomNumberGenerator.GetBytes(XWing.SeedSize), ESeed: RandomNumberGenerator.GetBytes(XWing.EncapsulationSeedSize)))
            .ToList();
        var request = JsonSerializer.Serialize(inputs.Select(i => new Dictionary<string, string>
        {
            ["seed"] = Convert.ToHexStringLower(i.Seed),
            ["eseed"] = Convert.ToHexStringLower(i.ESeed),
        }));

        var answers = JsonDocument.Parse(await HybridOracle.RunAsync(["xwing"], Encoding.UTF8.GetBytes(request))).RootElement;

        Assert.Equal(Cases, answers.GetArrayLength());
        foreach (var (input, answer) in inputs.Zip(answers.EnumerateArray()))
        {
            var publicKey = MlKem768X25519.PublicKeyFromSeed(input.Seed);
            Assert.Equal(answer.GetProperty("publicKey").GetString(), Convert.ToHexStringLower(publicKey));

            var ciphertext = new byte[XWing.CiphertextSize];
            var sharedSecret = new byte[XWing.SharedSecretSize];
            Assert.True(XWing.TryEncapsulate(publicKey, input.ESeed, ciphertext, sharedSecret));
            Assert.Equal(answer.GetProperty("ciphertext").GetString(), Convert.ToHexStringLower(ciphertext));
            Assert.Equal(answer.GetProperty("sharedSecret").GetString(), Convert.ToHexStringLower(sharedSecret));

            var decapsulated = new byte[XWing.SharedSecretSize];
            Assert.True(XWing.TryDecapsulate(input.Seed, ciphertext, decapsulated));
            Assert.Equal(sharedSecret, decapsulated);
        }
    }
}
