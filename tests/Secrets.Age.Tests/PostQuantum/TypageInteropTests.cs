using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Secrets.Age.PostQuantum;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>
/// Interop both ways with typage (npm age-encryption 0.3.1 in tests/peers, backed by @noble/post-quantum), through
/// hybrid-oracle.mjs beside this file: typage's keys, stanzas and headers against ours.
/// </summary>
public sealed class TypageInteropTests
{
    private static readonly byte[] Plaintext = "post-quantum hello from typage\n"u8.ToArray();

    [ToolFact("node")]
    public async Task A_typage_identity_yields_the_same_recipient_and_typage_unwraps_our_stanza()
    {
        var keys = JsonDocument.Parse(await HybridOracle.RunAsync(["keygen"])).RootElement;
        var identity = keys.GetProperty("identity").GetString()!;
        var recipient = keys.GetProperty("recipient").GetString()!;
        var (identityHrp, seed) = TestBech32.Decode(identity);
        var (recipientHrp, publicKey) = TestBech32.Decode(recipient);
        Assert.Equal("age-secret-key-pq-", identityHrp);
        Assert.Equal("age1pq", recipientHrp);

        Assert.Equal(publicKey, MlKem768X25519.PublicKeyFromSeed(seed));

        var fileKey = RandomNumberGenerator.GetBytes(16);
        var (enc, body) = MlKem768X25519.Wrap(publicKey, fileKey);
        var header = TestAgeFile.BuildHeader([(["mlkem768x25519", TestAgeFile.EncodeBase64(enc)], body)], fileKey);

        var unwrapped = await HybridOracle.RunAsync(["decrypt-header", identity], header);

        Assert.Equal(Convert.ToHexStringLower(fileKey), unwrapped);
    }

    [ToolFact("node")]
    public async Task We_unwrap_the_stanza_typage_writes_to_a_recipient_of_ours()
    {
        var seed = RandomNumberGenerator.GetBytes(MlKem768X25519.SeedSize);
        var identity = TestBech32.Encode("AGE-SECRET-KEY-PQ-", seed).ToUpperInvariant();
        var recipient = await HybridOracle.RunAsync(["recipient", identity]);
        Assert.Equal(MlKem768X25519.PublicKeyFromSeed(seed), TestBech32.Decode(recipient).Data);

        var file = TestAgeFile.Parse(Encoding.Latin1.GetBytes(await HybridOracle.RunAsync(["encrypt", recipient], Plaintext)));

        var stanza = Assert.Single(file.Stanzas);
        Assert.Equal(["mlkem768x25519", stanza.Args[1]], stanza.Args);
        Assert.True(MlKem768X25519.TryUnwrap(seed, TestAgeFile.DecodeBase64(stanza.Args[1]), stanza.Body, out var fileKey));
        Assert.True(file.MacVerifies(fileKey));
        Assert.False(MlKem768X25519.TryUnwrap(RandomNumberGenerator.GetBytes(32), TestAgeFile.DecodeBase64(stanza.Args[1]), stanza.Body, out _));
    }
}
