using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Pgp.Tests;

public sealed class SopsVectorTests
{
    [VectorTheory("sops")]
    [MemberData(nameof(SopsPgpVectors.Files), MemberType = typeof(SopsPgpVectors))]
    public void Every_pgp_wrapped_data_key_in_a_sops_file_decrypts_to_the_expected_key(string file)
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.KeyFileFor(file))]);
        var messages = SopsPgpVectors.Messages(file);
        Assert.NotEmpty(messages);
        var expected = SopsPgpVectors.ExpectedDataKey(file);
        foreach (var message in messages)
        {
            Assert.True(keyring.TryDecryptDataKey(message, out var dataKey, out var reason), reason);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(dataKey));
        }
    }

    [VectorTheory("sops")]
    [InlineData("sops-repo/functional-tests__res__multiple_keys.yaml")]
    [InlineData("sops-repo/example.yaml")]
    [InlineData("sops-repo/example.json")]
    [InlineData("sops-repo/example.ini")]
    public void A_file_wrapped_to_two_keys_decrypts_with_either_key_alone(string file)
    {
        var rings = SopsPgpVectors.SecretRingsByFingerprint(SopsPgpVectors.FunctionalTestsKeyFile);
        var messages = SopsPgpVectors.Messages(file);
        Assert.Equal(2, messages.Count);
        var expected = Convert.ToHexString(SopsPgpVectors.ExpectedDataKey(file));
        foreach (var fingerprint in new[] { SopsPgpVectors.FunctionalTestsKey, SopsPgpVectors.FunctionalTestsKey2 })
        {
            using var keyring = PgpKeyring.Load([rings[fingerprint]]);
            Assert.Equal([fingerprint], keyring.Fingerprints);
            var opened = messages.Select(m => keyring.TryDecryptDataKey(m, out var key, out _) ? Convert.ToHexString(key) : null).ToArray();
            Assert.Single(opened, k => k is not null);
            Assert.Equal(expected, opened.Single(k => k is not null));
        }
    }

    [VectorFact("sops")]
    public void The_wrong_key_reports_the_recipient_key_ids_instead_of_throwing()
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FluxKeyFile)]);
        var message = SopsPgpVectors.Messages("sops-repo/functional-tests__res__format.enc.yaml")[0];

        Assert.False(keyring.TryDecryptDataKey(message, out var dataKey, out var reason));

        Assert.Empty(dataKey);
        // The rsa2048 key FBC7… encrypts to its subkey 25294A17CD90507F.
        Assert.Contains("25294A17CD90507F", reason, StringComparison.Ordinal);
        Assert.Contains("none of the 1 secret key(s)", reason, StringComparison.Ordinal);
    }

    [VectorFact("sops")]
    public void A_keyring_with_public_keys_only_cannot_decrypt_and_says_so()
    {
        var publicOnly = File.ReadAllText(SopsPgpVectors.FunctionalTestsKeyFile);
        publicOnly = publicOnly[publicOnly.IndexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal)..];
        using var keyring = PgpKeyring.Load([System.Text.Encoding.UTF8.GetBytes(publicOnly)]);

        Assert.True(keyring.HasPublicKey(SopsPgpVectors.FunctionalTestsKey));
        Assert.False(keyring.HasSecretKey(SopsPgpVectors.FunctionalTestsKey));
        Assert.False(keyring.TryDecryptDataKey(SopsPgpVectors.Messages("sops-repo/example.yaml")[0], out _, out var reason));
        Assert.Contains("holds no secret keys", reason, StringComparison.Ordinal);
    }

    [VectorFact("sops")]
    public void A_tampered_message_fails_the_integrity_check()
    {
        using var keyring = PgpKeyring.Load([File.ReadAllBytes(SopsPgpVectors.FunctionalTestsKeyFile)]);
        var message = SopsPgpVectors.Messages("sops-repo/functional-tests__res__format.enc.yaml")[0];
        var packets = PgpArmor.DecodeAll(message, "test")[0].Data;
        packets[^5] ^= 0x01; // inside the SEIPD packet's encrypted MDC
        var tampered = PgpArmor.Encode("PGP MESSAGE", packets);

        Assert.Throws<IntegrityException>(() => keyring.TryDecryptDataKey(tampered, out _, out _));
    }
}
