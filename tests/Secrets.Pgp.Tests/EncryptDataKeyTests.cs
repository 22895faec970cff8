using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Pgp.Tests;

public sealed class EncryptDataKeyTests
{
    [VectorTheory("sops")]
    [InlineData(SopsPgpVectors.FunctionalTestsKey, 32)]
    [InlineData(SopsPgpVectors.FunctionalTestsKey2, 32)]
    [InlineData(SopsPgpVectors.FunctionalTestsKey, 33)]
    public void A_wrapped_data_key_unwraps_to_the_same_bytes(string fingerprint, int length)
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);
        var dataKey = RandomNumberGenerator.GetBytes(length);

        var armored = keyring.EncryptDataKey(fingerprint, dataKey);

        Assert.True(keyring.TryDecryptDataKey(armored, out var unwrapped, out var reason), reason);
        Assert.Equal(dataKey, unwrapped);
    }

    [VectorFact("sops")]
    public void The_armor_is_laid_out_like_sops_writes_it()
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);

        var armored = keyring.EncryptDataKey(SopsPgpVectors.FunctionalTestsKey, new byte[32]);

        var lines = armored.Split('\n');
        Assert.Equal("-----BEGIN PGP MESSAGE-----", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.All(lines[2..^3], line => Assert.Equal(64, line.Length));
        Assert.InRange(lines[^3].Length, 1, 64);
        Assert.Matches("^=[A-Za-z0-9+/]{4}$", lines[^2]);
        Assert.Equal("-----END PGP MESSAGE-----", lines[^1]);
        Assert.DoesNotContain('\r', armored);
    }

    [VectorFact("sops")]
    public void The_message_is_pkesk_v3_to_the_encryption_subkey_then_seipd_v1_with_aes256_and_a_binary_literal()
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);
        var armored = keyring.EncryptDataKey(SopsPgpVectors.FunctionalTestsKey, new byte[32]);
        var packets = PgpArmor.DecodeAll(armored, "test")[0].Data;

        var parsed = new PgpObjectFactory(packets).AllPgpObjects();
        var list = Assert.IsType<PgpEncryptedDataList>(Assert.Single(parsed));
        var recipient = Assert.IsType<PgpPublicKeyEncryptedData>(Assert.Single(list.GetEncryptedDataObjects()));
        Assert.Equal("25294A17CD90507F", recipient.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(recipient.IsIntegrityProtected());

        var rings = SopsPgpVectors.SecretRingsByFingerprint(SopsPgpVectors.FunctionalTestsKeyFile);
        var secret = new PgpSecretKeyRing(rings[SopsPgpVectors.FunctionalTestsKey]).GetSecretKey(recipient.KeyId);
        var privateKey = secret.ExtractPrivateKey([]);
        Assert.Equal(SymmetricKeyAlgorithmTag.Aes256, recipient.GetSymmetricAlgorithm(privateKey));
        var literal = Assert.IsType<PgpLiteralData>(new PgpObjectFactory(recipient.GetDataStream(privateKey)).NextPgpObject());
        Assert.Equal(PgpLiteralData.Binary, literal.Format);
        Assert.Equal("", literal.FileName);
        Assert.Equal(DateTime.UnixEpoch, literal.ModificationTime);
    }

    [VectorTheory("sops")]
    [InlineData("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4")]
    [InlineData("fbc7b9e2a4f9289ac0c1d4843d16cee4a27381b4")]
    [InlineData("FBC7 B9E2 A4F9 289A C0C1  D484 3D16 CEE4 A273 81B4")]
    [InlineData("0xFBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4")]
    [InlineData("3D16CEE4A27381B4")]
    [InlineData("25294a17cd90507f")]
    public void A_key_is_found_by_any_form_of_its_fingerprint_or_key_id(string name)
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);

        Assert.True(keyring.HasPublicKey(name));
        Assert.True(keyring.HasSecretKey(name));
        Assert.StartsWith("-----BEGIN PGP MESSAGE-----", keyring.EncryptDataKey(name, new byte[32]), StringComparison.Ordinal);
    }

    [VectorFact("sops")]
    public void The_fingerprints_are_the_primary_keys_public_rings_first_then_secret_only_ones()
    {
        using var keyring = PgpKeyring.Load([
            File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile),
            File.ReadAllBytes(SopsPgpVectors.FluxKeyFile)]);

        // The sops key file also carries a third, public-only key (B611…); the flux file holds a secret key only.
        Assert.Equal(
            [SopsPgpVectors.FunctionalTestsKey, SopsPgpVectors.FunctionalTestsKey2, "B611A2F9F11D0FF82568805119F9B5DAEA91FF86", SopsPgpVectors.FluxKey],
            keyring.Fingerprints);
        Assert.False(keyring.HasSecretKey("B611A2F9F11D0FF82568805119F9B5DAEA91FF86"));
    }

    [VectorTheory("sops")]
    [InlineData("0000000000000000000000000000000000000000", "is not in the keyring")]
    [InlineData("not-a-fingerprint", "is not a fingerprint or key id")]
    [InlineData("FBC7B9E2", "is not a fingerprint or key id")]
    public void An_unknown_key_is_a_clear_key_provider_error(string name, string expected)
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);

        var error = Assert.Throws<KeyProviderException>(() => keyring.EncryptDataKey(name, new byte[32]));

        Assert.Equal("pgp", error.Provider);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.Hints);
    }

    [VectorFact("sops")]
    public void The_keyring_never_shows_key_material()
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);

        Assert.Equal("[redacted]", keyring.ToString());
    }

    [VectorFact("sops")]
    public void A_disposed_keyring_refuses_to_work()
    {
        var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);
        keyring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => keyring.EncryptDataKey(SopsPgpVectors.FunctionalTestsKey, new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => keyring.TryDecryptDataKey("x", out _, out _));
    }
}
