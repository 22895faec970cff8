using Secrets.Age.PostQuantum;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>
/// The HPKE key schedule and sequence-0 seal against RFC 9180 Appendix A.2.1 (DHKEM(X25519, HKDF-SHA256),
/// HKDF-SHA256, ChaCha20Poly1305, mode_base): the only parts that depend on the KEM are its id and shared secret,
/// so this pins the suite_id, labels and derivations that age's MLKEM768-X25519 suite reuses with kem_id 0x647a.
/// </summary>
public sealed class HpkeKnownAnswerTests
{
    private const ushort DhKemX25519 = 0x0020;
    private static readonly byte[] Info = Convert.FromHexString("4f6465206f6e2061204772656369616e2055726e");
    private static readonly byte[] SharedSecret = Convert.FromHexString("0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7");
    private static readonly byte[] Plaintext = Convert.FromHexString("4265617574792069732074727574682c20747275746820626561757479");
    private static readonly byte[] Aad = Convert.FromHexString("436f756e742d30");
    private static readonly byte[] Ciphertext = Convert.FromHexString(
        "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28");

    [Fact]
    public void The_key_schedule_matches_RFC_9180_A_2_1()
    {
        var key = new byte[Hpke.KeySize];
        var nonce = new byte[Hpke.NonceSize];
        var exporterSecret = new byte[Hpke.ExporterSecretSize];

        Hpke.KeyScheduleBase(DhKemX25519, SharedSecret, Info, key, nonce, exporterSecret);

        Assert.Equal("ad2744de8e17f4ebba575b3f5f5a8fa1f69c2a07f6e7500bc60ca6e3e3ec1c91", Convert.ToHexStringLower(key));
        Assert.Equal("5c4d98150661b848853b547f", Convert.ToHexStringLower(nonce));
        Assert.Equal("a3b010d4994890e2c6968a36f64470d3c824c8f5029942feb11e7a74b2921922", Convert.ToHexStringLower(exporterSecret));
    }

    [Fact]
    public void Sealing_at_sequence_zero_matches_RFC_9180_A_2_1()
    {
        var ciphertext = new byte[Plaintext.Length + Hpke.TagSize];

        Hpke.SealBase(DhKemX25519, SharedSecret, Info, Aad, Plaintext, ciphertext);

        Assert.Equal(Ciphertext, ciphertext);
    }

    [Fact]
    public void Opening_RFC_9180_A_2_1_recovers_the_plaintext_and_a_flipped_bit_is_rejected()
    {
        var plaintext = new byte[Plaintext.Length];
        Assert.True(Hpke.TryOpenBase(DhKemX25519, SharedSecret, Info, Aad, Ciphertext, plaintext));
        Assert.Equal(Plaintext, plaintext);

        var tampered = (byte[])Ciphertext.Clone();
        tampered[^1] ^= 1;
        Assert.False(Hpke.TryOpenBase(DhKemX25519, SharedSecret, Info, Aad, tampered, plaintext));
        Assert.All(plaintext, b => Assert.Equal(0, b));
    }

    [Fact]
    public void The_suite_id_is_HPKE_then_the_three_big_endian_ids()
    {
        var suiteId = new byte[10];

        Hpke.WriteSuiteId(0x647a, suiteId);

        Assert.Equal("48504b45647a00010003", Convert.ToHexStringLower(suiteId));
    }
}
