using System.Text;
using Secrets.Core;

namespace Secrets.Age.Tests;

public sealed class AgeFileRoundTripTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(65536, false)]
    [InlineData(65537, true)]
    [InlineData((16 * 65536) + 5, false)]
    [InlineData(3 * 1024 * 1024, true)]
    public void X25519_round_trip_restores_the_plaintext(int size, bool armor)
    {
        var identity = X25519Identity.Generate();
        var plaintext = new byte[size];
        Random.Shared.NextBytes(plaintext);

        var file = AgeFile.Encrypt(plaintext, [identity.Recipient], armor);

        Assert.Equal(plaintext, AgeFile.Decrypt(file, [identity]));
    }

    [Fact]
    public void A_binary_file_has_the_size_the_format_predicts()
    {
        // age.md §1: one X25519 recipient → 168-byte header, 16-byte nonce, one 16-byte tag per chunk.
        var identity = X25519Identity.Generate();

        Assert.Equal(200, AgeFile.Encrypt([], [identity.Recipient], armor: false).Length);
        Assert.Equal(201, AgeFile.Encrypt([42], [identity.Recipient], armor: false).Length);
        Assert.Equal(168 + 16 + 65536 + 16, AgeFile.Encrypt(new byte[65536], [identity.Recipient], armor: false).Length);
    }

    [Fact]
    public void Armored_output_has_the_reference_layout()
    {
        var identity = X25519Identity.Generate();
        var text = Encoding.ASCII.GetString(AgeFile.Encrypt("hello"u8, [identity.Recipient], armor: true));

        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n-----END AGE ENCRYPTED FILE-----\n", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n')[1..^2], line => Assert.InRange(line.Length, 1, 64));
    }

    [Fact]
    public void Scrypt_round_trip_and_wrong_passphrase_is_no_match()
    {
        var file = AgeFile.Encrypt("secret"u8, [new ScryptRecipient("correct horse", workFactor: 10)], armor: false);

        Assert.Equal("secret"u8.ToArray(), AgeFile.Decrypt(file, [new ScryptIdentity("correct horse")]));
        Assert.Throws<NoMatchingKeyException>(() => AgeFile.Decrypt(file, [new ScryptIdentity("wrong")]));
    }

    [Fact]
    public void Hybrid_round_trip_restores_the_plaintext()
    {
        var identity = MlKem768X25519Identity.Generate();
        var recipient = AgeRecipients.Parse(identity.Recipient.ToString());

        var file = AgeFile.Encrypt("post-quantum"u8, [recipient], armor: false);

        Assert.Equal("post-quantum"u8.ToArray(), AgeFile.Decrypt(file, [AgeIdentities.ParseIdentity(identity.ToString())]));
    }

    [Fact]
    public void Several_recipients_can_each_decrypt()
    {
        var a = X25519Identity.Generate();
        var b = X25519Identity.Generate();

        var file = AgeFile.Encrypt("both"u8, [a.Recipient, b.Recipient], armor: false);

        Assert.Equal("both"u8.ToArray(), AgeFile.Decrypt(file, [b]));
        Assert.Equal("both"u8.ToArray(), AgeFile.Decrypt(file, [a]));
    }

    [Fact]
    public void Wrong_identity_reports_no_match_with_one_attempt_per_stanza_type()
    {
        var file = AgeFile.Encrypt("x"u8, [X25519Identity.Generate().Recipient], armor: false);

        var error = Assert.Throws<NoMatchingKeyException>(() => AgeFile.Decrypt(file, [X25519Identity.Generate()]));

        Assert.Equal(["X25519: none of the 1 X25519 identities unwrapped the file key"], error.Attempts);
    }

    [Fact]
    public void Passphrase_and_hybrid_recipients_cannot_be_mixed_with_others()
    {
        var classic = X25519Identity.Generate().Recipient;

        Assert.Throws<SecretsOperationException>(() => AgeFile.Encrypt("x"u8, [classic, new ScryptRecipient("p", 10)], armor: false));
        Assert.Throws<SecretsOperationException>(() => AgeFile.Encrypt("x"u8, [classic, MlKem768X25519Identity.Generate().Recipient], armor: false));
    }
}
