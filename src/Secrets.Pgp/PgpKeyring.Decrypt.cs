using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.Core;

namespace Secrets.Pgp;

public sealed partial class PgpKeyring
{
    /// <summary>
    /// Unwraps a sops PGP-wrapped data key (the armored message of an <c>enc</c> field). Returns false with a reason —
    /// never throws — when the message is not for any secret key held here, or a matching key cannot be unlocked;
    /// the reason names the recipient key ids so the user can see which key is missing.
    /// </summary>
    /// <exception cref="InvalidFileException">The text is not an armored OpenPGP encrypted message.</exception>
    /// <exception cref="IntegrityException">The message lacks integrity protection or was altered.</exception>
    public bool TryDecryptDataKey(string armoredMessage, out byte[] dataKey, out string failureReason)
    {
        ArgumentNullException.ThrowIfNull(armoredMessage);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var message = PgpMessage.Parse(armoredMessage);
        var attempts = new List<string>();
        for (var index = 0; index < message.RecipientKeyIds.Count; index++)
        {
            var keyId = message.RecipientKeyIds[index];
            foreach (var (secretKey, primaryFingerprint) in CandidateSecretKeys(keyId))
            {
                var label = $"key {PgpKeyId.KeyId(secretKey.KeyId)} of {primaryFingerprint}";
                var unlocked = Unlock(secretKey);
                if (unlocked.Key is null)
                {
                    attempts.Add($"{label}: {unlocked.Failure}");
                    continue;
                }

                if (message.TryDecrypt(index, unlocked.Key, _options.AllowUnauthenticatedMessages, out dataKey, out var failure))
                {
                    failureReason = "";
                    return true;
                }

                attempts.Add($"{label}: {failure}");
            }
        }

        dataKey = [];
        failureReason = attempts.Count > 0 ? string.Join("; ", attempts) : NoRecipientReason(message);
        return false;
    }

    private string NoRecipientReason(PgpMessage message)
    {
        var ids = message.RecipientKeyIds.Select(id => id == 0 ? "anonymous" : PgpKeyId.KeyId(id)).ToArray();
        var recipients = ids.Length == 0
            ? "no public key (only a passphrase)"
            : (ids.Length == 1 ? "key id " : "key ids ") + string.Join(", ", ids);
        var held = _secretRings.Count == 0
            ? "the keyring holds no secret keys"
            : $"none of the {_secretRings.Count} secret key(s) in the keyring matches";
        return $"the message is encrypted to {recipients}; {held}";
    }

    /// <summary>Secret keys that may be the recipient <paramref name="keyId"/>; an anonymous recipient (0) may be any.</summary>
    private IEnumerable<(PgpSecretKey Key, string PrimaryFingerprint)> CandidateSecretKeys(long keyId)
    {
        foreach (var ring in _secretRings)
        {
            var primary = PgpKeyId.Fingerprint(ring.GetPublicKey());
            foreach (var key in ring.GetSecretKeys())
            {
                if (keyId == 0 ? IsEncryptionAlgorithm(key.PublicKey.Algorithm) : key.KeyId == keyId)
                {
                    yield return (key, primary);
                }
            }
        }
    }

    private static bool IsEncryptionAlgorithm(PublicKeyAlgorithmTag algorithm) => algorithm is PublicKeyAlgorithmTag.RsaGeneral
        or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral
        or PublicKeyAlgorithmTag.ECDH or PublicKeyAlgorithmTag.X25519 or PublicKeyAlgorithmTag.X448;

    /// <summary>Extracts (and remembers) the private key, asking the passphrase callback at most once per key.</summary>
    private UnlockResult Unlock(PgpSecretKey secretKey)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_unlocked.TryGetValue(secretKey.KeyId, out var cached))
            {
                return cached;
            }

            var result = Extract(secretKey, _options.PassphraseCallback);
            _unlocked[secretKey.KeyId] = result;
            return result;
        }
    }

    private static UnlockResult Extract(PgpSecretKey secretKey, Func<string, string?>? passphraseCallback)
    {
        if (secretKey.IsPrivateKeyEmpty)
        {
            return new(null, "only a stub of the secret key is present (it is offline or on a smartcard)");
        }

        var passphrase = Array.Empty<char>();
        if (secretKey.KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null)
        {
            var text = passphraseCallback?.Invoke(PgpKeyId.KeyId(secretKey.KeyId));
            if (text is null)
            {
                return new(null, "the secret key is passphrase-protected and no passphrase was given");
            }

            passphrase = text.ToCharArray();
        }

        try
        {
            // GnuPG hashes the UTF-8 bytes of the passphrase (BouncyCastle's plain variant would use Latin-1).
            var key = secretKey.ExtractPrivateKeyUtf8(passphrase);
            return key is null ? new(null, "the secret key holds no private key material") : new(key, null);
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            return new(null, passphrase.Length > 0
                ? "wrong passphrase, or the secret key is damaged"
                : $"the secret key cannot be read ({ex.Message.TrimEnd('.')})");
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }
}
