using CsCheck;
using Secrets.Core;

namespace Secrets.Age.Tests;

/// <summary>Random plaintexts around the 64 KiB chunk boundaries round-trip; any single flipped byte is detected.</summary>
public sealed class AgeFilePropertyTests
{
    private static readonly X25519Identity Identity = X25519Identity.Generate();

    // k × 64 KiB + delta for k = 0..17 (a batch is 16 chunks) and delta in [-2, 2], clamped at zero.
    private static readonly Gen<int> ChunkBoundarySize =
        Gen.Select(Gen.Int[0, 17], Gen.Int[-2, 2], (k, delta) => Math.Max(0, (k * 65536) + delta));

    [Fact]
    public void Plaintexts_around_chunk_boundaries_round_trip()
    {
        Gen.Select(ChunkBoundarySize, Gen.Bool, Gen.Int).Sample(
            (size, armor, seed) =>
            {
                var plaintext = new byte[size];
                new Random(seed).NextBytes(plaintext);

                var file = AgeFile.Encrypt(plaintext, [Identity.Recipient], armor);

                Assert.Equal(plaintext, AgeFile.Decrypt(file, [Identity]));
            },
            iter: 40);
    }

    [Fact]
    public void Flipping_any_byte_of_a_file_makes_decryption_fail()
    {
        Gen.Select(Gen.Int[0, (2 * 65536) + 100], Gen.Int, Gen.Byte[1, 255]).Sample(
            (size, position, flip) =>
            {
                var file = AgeFile.Encrypt(new byte[size], [Identity.Recipient], armor: false);
                var index = (int)((uint)position % (uint)file.Length);
                file[index] ^= flip;

                Assert.ThrowsAny<SecretsException>(() => AgeFile.Decrypt(file, [Identity]));
            },
            iter: 200);
    }

    [Fact]
    public void Truncating_a_file_anywhere_makes_decryption_fail()
    {
        var file = AgeFile.Encrypt(new byte[(3 * 65536) + 7], [Identity.Recipient], armor: false);

        Gen.Int[0, file.Length - 1].Sample(
            length => Assert.ThrowsAny<SecretsException>(() => AgeFile.Decrypt(file.AsSpan(0, length), [Identity])),
            iter: 100);
    }
}
