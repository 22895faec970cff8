using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;

namespace Secrets.Pgp;

/// <summary>
/// Chooses the key a message is encrypted to, the way go-crypto's <c>Entity.EncryptionKey</c> (sops) and GnuPG do:
/// the primary key must be neither revoked nor expired; among the subkeys with a valid binding signature that are
/// flagged for encryption (or, without flags, can encrypt), not revoked and not expired, the newest wins; the primary
/// key itself is the fallback when it may encrypt. Only self-signatures that verify count, so a forged binding or
/// expiry extension is ignored.
/// </summary>
internal static class PgpKeySelection
{
    private const int EncryptFlags = KeyFlags.EncryptComms | KeyFlags.EncryptStorage;

    /// <summary>
    /// The encryption key and the time until which this choice holds (the earliest expiry involved), or null with the
    /// reason no key can be used.
    /// </summary>
    public static PgpPublicKey? Select(PgpPublicKeyRing ring, DateTime now, out DateTime validUntil, out string? reason)
    {
        validUntil = DateTime.MinValue;
        var primary = ring.GetPublicKey();
        if (IsRevoked(primary, primary, PgpSignature.KeyRevocation))
        {
            reason = "is revoked";
            return null;
        }

        var selfSignature = LatestValidSelfSignature(primary);
        if (selfSignature is null)
        {
            reason = "has no valid self-signature";
            return null;
        }

        if (IsExpired(primary, selfSignature, now, out var primaryExpiry))
        {
            reason = $"expired on {primaryExpiry:yyyy-MM-dd}";
            return null;
        }

        PgpPublicKey? best = null;
        var bestExpiry = DateTime.MaxValue;
        foreach (var subkey in ring.GetPublicKeys())
        {
            if (subkey.IsMasterKey || !CanEncrypt(subkey.Algorithm))
            {
                continue;
            }

            var binding = LatestValid(
                subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding),
                sig => sig.VerifyCertification(primary, subkey),
                primary);
            if (binding is null
                || !AllowsEncryption(binding, subkey)
                || IsRevoked(subkey, primary, PgpSignature.SubkeyRevocation)
                || IsExpired(subkey, binding, now, out var subkeyExpiry)
                || subkey.CreationTime > now)
            {
                continue;
            }

            if (best is null || subkey.CreationTime >= best.CreationTime)
            {
                best = subkey;
                bestExpiry = subkeyExpiry;
            }
        }

        if (best is null && CanEncrypt(primary.Algorithm) && AllowsEncryption(selfSignature, primary))
        {
            best = primary;
        }

        reason = best is null ? "has no valid encryption-capable key or subkey" : null;
        validUntil = primaryExpiry < bestExpiry ? primaryExpiry : bestExpiry;
        return best;
    }

    private static bool CanEncrypt(PublicKeyAlgorithmTag algorithm) => algorithm is PublicKeyAlgorithmTag.RsaGeneral
        or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral
        or PublicKeyAlgorithmTag.ECDH or PublicKeyAlgorithmTag.X25519 or PublicKeyAlgorithmTag.X448;

    private static bool AllowsEncryption(PgpSignature signature, PgpPublicKey key)
    {
        var hashed = signature.GetHashedSubPackets();
        return hashed is not null && hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags)
            ? (hashed.GetKeyFlags() & EncryptFlags) != 0
            : key.IsEncryptionKey;
    }

    /// <summary>The newest verifying self-certification of a user id, or direct-key signature, of the primary key.</summary>
    private static PgpSignature? LatestValidSelfSignature(PgpPublicKey primary)
    {
        PgpSignature? best = null;
        foreach (var userId in primary.GetUserIds())
        {
            var candidates = primary.GetSignaturesForId(userId).Where(sig => sig.SignatureType is PgpSignature.DefaultCertification
                or PgpSignature.NoCertification or PgpSignature.CasualCertification or PgpSignature.PositiveCertification);
            best = Newer(best, LatestValid(candidates, sig => sig.VerifyCertification(userId, primary), primary));
        }

        var direct = primary.GetSignaturesOfType(PgpSignature.DirectKey);
        return Newer(best, LatestValid(direct, sig => sig.VerifyCertification(primary), primary));
    }

    private static PgpSignature? Newer(PgpSignature? a, PgpSignature? b) =>
        a is null ? b : b is null ? a : b.CreationTime > a.CreationTime ? b : a;

    /// <summary>The newest signature by <paramref name="signer"/> among <paramref name="candidates"/> that verifies.</summary>
    private static PgpSignature? LatestValid(IEnumerable<PgpSignature> candidates, Func<PgpSignature, bool> verify, PgpPublicKey signer)
    {
        PgpSignature? best = null;
        foreach (var signature in candidates)
        {
            if (signature.KeyId != signer.KeyId || (best is not null && signature.CreationTime < best.CreationTime))
            {
                continue;
            }

            if (TryVerify(signature, signer, verify))
            {
                best = signature;
            }
        }

        return best;
    }

    private static bool IsRevoked(PgpPublicKey key, PgpPublicKey primary, int revocationType) =>
        key.GetSignaturesOfType(revocationType).Any(sig => sig.KeyId == primary.KeyId && TryVerify(
            sig,
            primary,
            s => revocationType == PgpSignature.KeyRevocation ? s.VerifyCertification(key) : s.VerifyCertification(primary, key)));

    private static bool TryVerify(PgpSignature signature, PgpPublicKey signer, Func<PgpSignature, bool> verify)
    {
        try
        {
            signature.InitVerify(signer);
            return verify(signature);
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            // An unsupported or corrupt signature is no signature.
            return false;
        }
    }

    private static bool IsExpired(PgpPublicKey key, PgpSignature selfSignature, DateTime now, out DateTime expiry)
    {
        var hashed = selfSignature.GetHashedSubPackets();
        var seconds = hashed is not null && hashed.HasKeyExpirationTime() ? hashed.GetKeyExpirationTime() : 0;
        expiry = seconds > 0 ? key.CreationTime.AddSeconds(seconds) : DateTime.MaxValue;
        return seconds > 0 && expiry <= now;
    }
}
