using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.Core;

namespace Secrets.Pgp;

public sealed partial class PgpKeyring
{
    /// <summary>
    /// Wraps a data key (32 bytes, or a 33-byte Shamir share) to the named key the way sops does (sops.md §2.1):
    /// an armored <c>PGP MESSAGE</c> without trailing newline, ready for the <c>enc</c> field.
    /// </summary>
    /// <param name="fingerprint">Primary or subkey fingerprint, or long key id; case and spaces do not matter.</param>
    /// <param name="dataKey">The bytes to wrap; they become the literal data of the message.</param>
    /// <exception cref="KeyProviderException">The key is not in the keyring, is revoked or expired, or cannot encrypt.</exception>
    public string EncryptDataKey(string fingerprint, ReadOnlySpan<byte> dataKey)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (dataKey.IsEmpty)
        {
            throw new ArgumentException("the data key is empty", nameof(dataKey));
        }

        var ring = FindPublicRing(fingerprint) ?? throw new KeyProviderException(
            "pgp",
            fingerprint,
            PgpKeyId.Normalize(fingerprint) is null
                ? "is not a fingerprint or key id (expected 40 or 64 hex digits, or a 16-digit key id)"
                : "is not in the keyring")
        {
            Hints = ["export the public key with \"gpg --export -a FP\" and add the file to the keys the command reads"],
        };

        var primaryFingerprint = PgpKeyId.Fingerprint(ring.GetPublicKey());
        var key = SelectEncryptionKey(ring, primaryFingerprint);
        return PgpMessageWriter.Encrypt(key, dataKey);
    }

    /// <summary>
    /// The key to encrypt to, remembered until the earliest expiry involved: checking the self-signatures costs tens
    /// of milliseconds per signature (BouncyCastle validates the RSA modulus each time it builds a key object).
    /// </summary>
    private PgpPublicKey SelectEncryptionKey(PgpPublicKeyRing ring, string primaryFingerprint)
    {
        var now = _options.Time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            if (_selections.TryGetValue(primaryFingerprint, out var cached) && now < cached.ValidUntil)
            {
                return cached.Key;
            }
        }

        var key = PgpKeySelection.Select(ring, now, out var validUntil, out var reason)
            ?? throw new KeyProviderException("pgp", primaryFingerprint, reason ?? "cannot encrypt")
            {
                Hints = ["check the key with \"gpg --list-keys " + primaryFingerprint + "\"; an expired key can be extended with \"gpg --quick-set-expire\""],
            };
        lock (_gate)
        {
            _selections[primaryFingerprint] = new Selection(key, validUntil);
        }

        return key;
    }

    private readonly record struct Selection(PgpPublicKey Key, DateTime ValidUntil);
}
