using System.Security.Cryptography;
using Secrets.Age.PostQuantum;
using Secrets.Core;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>Malformed keys and stanzas get a specific SecretsException, never a crash or a wrong answer.</summary>
public sealed class MlKem768X25519ValidationTests
{
    private static readonly byte[] Seed = RandomNumberGenerator.GetBytes(MlKem768X25519.SeedSize);
    private static readonly byte[] PublicKey = MlKem768X25519.PublicKeyFromSeed(Seed);
    private static readonly byte[] FileKey = RandomNumberGenerator.GetBytes(16);

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void A_seed_of_the_wrong_size_is_an_invalid_key(int size)
    {
        var seed = new byte[size];

        var derive = Assert.Throws<SecretsOperationException>(() => MlKem768X25519.PublicKeyFromSeed(seed));
        var unwrap = Assert.Throws<SecretsOperationException>(() => MlKem768X25519.TryUnwrap(seed, new byte[1120], new byte[32], out _));

        Assert.Equal(ErrorKind.InvalidKey, derive.Kind);
        Assert.Equal(ErrorKind.InvalidKey, unwrap.Kind);
        Assert.Equal($"invalid mlkem768x25519 identity: the seed is {size} bytes, expected 32", derive.Message);
    }

    [Fact]
    public void A_recipient_key_of_the_wrong_size_is_an_invalid_key()
    {
        var error = Assert.Throws<SecretsOperationException>(() => MlKem768X25519.Wrap(PublicKey.AsSpan(1), FileKey));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.Equal("invalid mlkem768x25519 recipient: the public key is 1215 bytes, expected 1216", error.Message);
    }

    [Fact]
    public void A_recipient_key_with_an_unreduced_ML_KEM_coefficient_is_an_invalid_key()
    {
        var publicKey = (byte[])PublicKey.Clone();
        publicKey[0] = 0xff;
        publicKey[1] = 0xff; // the first 12-bit coefficient becomes 4095 ≥ q = 3329 (FIPS 203 §7.2 modulus check)

        var error = Assert.Throws<SecretsOperationException>(() => MlKem768X25519.Wrap(publicKey, FileKey));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.Equal("invalid mlkem768x25519 recipient: the public key is not a valid ML-KEM-768 + X25519 key", error.Message);
    }

    [Fact]
    public void A_recipient_key_with_a_low_order_X25519_point_is_an_invalid_key()
    {
        var publicKey = (byte[])PublicKey.Clone();
        publicKey.AsSpan(1184).Clear(); // u = 0: every scalar multiple is the all-zero shared secret

        var error = Assert.Throws<SecretsOperationException>(() => MlKem768X25519.Wrap(publicKey, FileKey));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    public void Only_a_16_byte_file_key_can_be_wrapped(int size)
    {
        Assert.Throws<ArgumentException>(() => MlKem768X25519.Wrap(PublicKey, new byte[size]));
    }

    [Theory]
    [InlineData(0, 32, "invalid mlkem768x25519 stanza: the encapsulated key is 0 bytes, expected 1120")]
    [InlineData(1119, 32, "invalid mlkem768x25519 stanza: the encapsulated key is 1119 bytes, expected 1120")]
    [InlineData(1121, 32, "invalid mlkem768x25519 stanza: the encapsulated key is 1121 bytes, expected 1120")]
    [InlineData(1120, 0, "invalid mlkem768x25519 stanza: the body is 0 bytes, expected 32")]
    [InlineData(1120, 31, "invalid mlkem768x25519 stanza: the body is 31 bytes, expected 32")]
    [InlineData(1120, 48, "invalid mlkem768x25519 stanza: the body is 48 bytes, expected 32")]
    public void A_stanza_of_the_wrong_size_is_an_invalid_file(int encSize, int bodySize, string message)
    {
        var error = Assert.Throws<InvalidFileException>(
            () => MlKem768X25519.TryUnwrap(Seed, new byte[encSize], new byte[bodySize], out _));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_enc_whose_X25519_share_is_low_order_is_an_invalid_file()
    {
        var (enc, body) = MlKem768X25519.Wrap(PublicKey, FileKey);
        enc.AsSpan(1088).Clear();
        enc[1088] = 1; // u = 1 is a low-order point: the X25519 shared secret is all zero

        var error = Assert.Throws<InvalidFileException>(() => MlKem768X25519.TryUnwrap(Seed, enc, body, out _));

        Assert.Equal("invalid mlkem768x25519 stanza: the X25519 share is a low-order point", error.Message);
    }
}
