using CsCheck;
using Secrets.Age.PostQuantum;
using Secrets.Core;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>Random-key properties of wrap/unwrap (CsCheck; each iteration is a full X-Wing keygen, encaps and decaps).</summary>
public sealed class MlKem768X25519PropertyTests
{
    private const int Iterations = 40;
    private static readonly Gen<byte[]> Seeds = Gen.Byte.Array[MlKem768X25519.SeedSize];
    private static readonly Gen<byte[]> FileKeys = Gen.Byte.Array[16];

    [Fact]
    public void Unwrapping_a_wrapped_file_key_with_the_right_seed_recovers_it()
    {
        Gen.Select(Seeds, FileKeys).Sample((seed, fileKey) =>
        {
            var (enc, body) = MlKem768X25519.Wrap(MlKem768X25519.PublicKeyFromSeed(seed), fileKey);

            Assert.Equal(MlKem768X25519.EncapsulatedKeySize, enc.Length);
            Assert.Equal(32, body.Length);
            Assert.True(MlKem768X25519.TryUnwrap(seed, enc, body, out var unwrapped));
            Assert.Equal(fileKey, unwrapped);
        }, iter: Iterations);
    }

    [Fact]
    public void Another_seed_is_told_not_mine()
    {
        Gen.Select(Seeds, Seeds, FileKeys).Where((a, b, _) => !a.AsSpan().SequenceEqual(b)).Sample((seed, other, fileKey) =>
        {
            var (enc, body) = MlKem768X25519.Wrap(MlKem768X25519.PublicKeyFromSeed(seed), fileKey);

            Assert.False(MlKem768X25519.TryUnwrap(other, enc, body, out var unwrapped));
            Assert.Empty(unwrapped);
        }, iter: Iterations);
    }

    [Fact]
    public void A_flipped_bit_in_enc_or_body_is_not_mine_or_invalid_never_a_wrong_key()
    {
        const int bits = (MlKem768X25519.EncapsulatedKeySize + 32) * 8;
        Gen.Select(Seeds, FileKeys, Gen.Int[0, bits - 1]).Sample((seed, fileKey, bit) =>
        {
            var (enc, body) = MlKem768X25519.Wrap(MlKem768X25519.PublicKeyFromSeed(seed), fileKey);
            var target = bit < enc.Length * 8 ? enc : body;
            var index = bit < enc.Length * 8 ? bit : bit - (enc.Length * 8);
            target[index / 8] ^= (byte)(1 << (index % 8));

            try
            {
                Assert.False(MlKem768X25519.TryUnwrap(seed, enc, body, out _));
            }
            catch (InvalidFileException)
            {
                // A flip that turns the X25519 share into a low-order point is a malformed stanza: also acceptable.
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Every_wrap_uses_fresh_randomness()
    {
        var seed = Seeds.Single();
        var publicKey = MlKem768X25519.PublicKeyFromSeed(seed);
        var fileKey = FileKeys.Single();

        var first = MlKem768X25519.Wrap(publicKey, fileKey);
        var second = MlKem768X25519.Wrap(publicKey, fileKey);

        Assert.NotEqual(first.Enc, second.Enc);
        Assert.NotEqual(first.Body, second.Body);
    }
}
