using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Secrets.Age.PostQuantum;

/// <summary>
/// The part of HPKE (RFC 9180) that age's hybrid recipients use: mode_base key schedule with HKDF-SHA256 and a
/// single-shot ChaCha20Poly1305 seal/open at sequence number 0 (age.md §10). The KEM runs outside; this class takes
/// its shared secret and KEM id, because the id is part of the suite_id every label is bound to.
/// </summary>
internal static class Hpke
{
    public const ushort KdfHkdfSha256 = 0x0001;
    public const ushort AeadChaCha20Poly1305 = 0x0003;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int ExporterSecretSize = 32;

    private const int HashSize = 32;
    private const byte ModeBase = 0x00;
    private const int SuiteIdSize = 10;
    private const int LabeledPrefixSize = 7 + SuiteIdSize;

    private static ReadOnlySpan<byte> VersionLabel => "HPKE-v1"u8;

    /// <summary>
    /// RFC 9180 §5.1 KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = ""): the AEAD key, base nonce and
    /// exporter secret.
    /// </summary>
    public static void KeyScheduleBase(
        ushort kemId, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info,
        Span<byte> key, Span<byte> baseNonce, Span<byte> exporterSecret)
    {
        Span<byte> suiteId = stackalloc byte[SuiteIdSize];
        WriteSuiteId(kemId, suiteId);

        // key_schedule_context = mode ‖ LabeledExtract("", "psk_id_hash", psk_id) ‖ LabeledExtract("", "info_hash", info)
        Span<byte> context = stackalloc byte[1 + HashSize + HashSize];
        context[0] = ModeBase;
        LabeledExtract(suiteId, [], "psk_id_hash"u8, [], context.Slice(1, HashSize));
        LabeledExtract(suiteId, [], "info_hash"u8, info, context.Slice(1 + HashSize, HashSize));

        Span<byte> secret = stackalloc byte[HashSize];
        try
        {
            // secret = LabeledExtract(shared_secret, "secret", psk)
            LabeledExtract(suiteId, sharedSecret, "secret"u8, [], secret);
            LabeledExpand(suiteId, secret, "key"u8, context, key[..KeySize]);
            LabeledExpand(suiteId, secret, "base_nonce"u8, context, baseNonce[..NonceSize]);
            LabeledExpand(suiteId, secret, "exp"u8, context, exporterSecret[..ExporterSecretSize]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>SealBase then ContextS.Seal at sequence 0: <paramref name="ciphertext"/> is plaintext length + 16.</summary>
    public static void SealBase(
        ushort kemId, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        if (ciphertext.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("the ciphertext buffer must be the plaintext length plus the tag", nameof(ciphertext));
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        using var aead = SetupBase(kemId, sharedSecret, info, nonce);
        aead.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext[plaintext.Length..], aad);
    }

    /// <summary>
    /// SetupBaseR then ContextR.Open at sequence 0. False when the tag does not verify (Poly1305's constant-time
    /// check); <paramref name="plaintext"/> is then zeroed.
    /// </summary>
    public static bool TryOpenBase(
        ushort kemId, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad,
        ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (ciphertext.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("the plaintext buffer must be the ciphertext length minus the tag", nameof(plaintext));
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        using var aead = SetupBase(kemId, sharedSecret, info, nonce);
        try
        {
            aead.Decrypt(nonce, ciphertext[..plaintext.Length], ciphertext[plaintext.Length..], plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    // The context's AEAD keyed with the schedule's key, and the nonce for sequence 0: RFC 9180 §5.2
    // ComputeNonce(0) = base_nonce XOR I2OSP(0, Nn) = base_nonce. The AEAD keeps (and wipes on dispose) its own key copy.
    private static ChaCha20Poly1305 SetupBase(
        ushort kemId, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, Span<byte> nonce)
    {
        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> exporterSecret = stackalloc byte[ExporterSecretSize];
        try
        {
            KeyScheduleBase(kemId, sharedSecret, info, key, nonce, exporterSecret);
            return new ChaCha20Poly1305(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(exporterSecret);
        }
    }

    // suite_id = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2)  (RFC 9180 §5.1)
    internal static void WriteSuiteId(ushort kemId, Span<byte> suiteId)
    {
        "HPKE"u8.CopyTo(suiteId);
        BinaryPrimitives.WriteUInt16BigEndian(suiteId[4..], kemId);
        BinaryPrimitives.WriteUInt16BigEndian(suiteId[6..], KdfHkdfSha256);
        BinaryPrimitives.WriteUInt16BigEndian(suiteId[8..], AeadChaCha20Poly1305);
    }

    // LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm). Only public inputs ever
    // reach the labeled IKM here (the PSK is empty); a secret salt goes straight to HKDF.
    private static void LabeledExtract(
        ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> label, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        var length = LabeledPrefixSize + label.Length + ikm.Length;
        Span<byte> labeled = length <= 256 ? stackalloc byte[length] : new byte[length];
        WritePrefix(suiteId, labeled);
        label.CopyTo(labeled[LabeledPrefixSize..]);
        ikm.CopyTo(labeled[(LabeledPrefixSize + label.Length)..]);
        HKDF.Extract(HashAlgorithmName.SHA256, labeled, salt, prk);
    }

    // LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L)
    private static void LabeledExpand(
        ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> label, ReadOnlySpan<byte> info, Span<byte> output)
    {
        var length = 2 + LabeledPrefixSize + label.Length + info.Length;
        Span<byte> labeled = length <= 256 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(labeled, checked((ushort)output.Length));
        WritePrefix(suiteId, labeled[2..]);
        label.CopyTo(labeled[(2 + LabeledPrefixSize)..]);
        info.CopyTo(labeled[(2 + LabeledPrefixSize + label.Length)..]);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, labeled);
    }

    private static void WritePrefix(ReadOnlySpan<byte> suiteId, Span<byte> destination)
    {
        VersionLabel.CopyTo(destination);
        suiteId.CopyTo(destination[VersionLabel.Length..]);
    }
}
