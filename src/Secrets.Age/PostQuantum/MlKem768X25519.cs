using System.Security.Cryptography;
using Secrets.Core;

namespace Secrets.Age.PostQuantum;

/// <summary>
/// The post-quantum hybrid age recipient type <c>mlkem768x25519</c> (age.md §10): the 16-byte file key is sealed
/// with HPKE base mode, KEM MLKEM768-X25519 (X-Wing), KDF HKDF-SHA256, AEAD ChaCha20Poly1305, info
/// <c>age-encryption.org/mlkem768x25519</c> and empty aad. The stanza is <c>-> mlkem768x25519 &lt;enc&gt;</c> with the
/// 1120-byte HPKE enc as its argument and the 32-byte sealed file key as its body. The identity is the 32-byte X-Wing
/// seed (<c>AGE-SECRET-KEY-PQ-1…</c>) and the recipient the 1216-byte encapsulation key (<c>age1pq1…</c>); the Bech32
/// and base64 encodings belong to the stanza layer, this type works on raw bytes.
/// </summary>
public static class MlKem768X25519
{
    public const int SeedSize = XWing.SeedSize;
    public const int EncapsulationKeySize = XWing.PublicKeySize;
    public const int EncapsulatedKeySize = XWing.CiphertextSize;

    /// <summary>The stanza type, the first argument of the stanza line.</summary>
    internal const string StanzaType = "mlkem768x25519";

    /// <summary>age file keys are 16 bytes (age.md §3).</summary>
    internal const int FileKeySize = 16;

    /// <summary>The stanza body: the sealed file key and its Poly1305 tag.</summary>
    internal const int BodySize = FileKeySize + Hpke.TagSize;

    // The HPKE KEM id of MLKEM768-X25519 (draft-ietf-hpke-pq; typage's hpkeMLKEM768X25519, Go's hpke-pq).
    internal const ushort KemId = 0x647a;

    internal static ReadOnlySpan<byte> Info => "age-encryption.org/mlkem768x25519"u8;

    /// <summary>The 1216-byte recipient public key for a 32-byte identity seed.</summary>
    /// <exception cref="SecretsException">The seed is not 32 bytes (kind <see cref="ErrorKind.InvalidKey"/>).</exception>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        RequireSeed(seed);
        return XWing.PublicKeyFromSeed(seed);
    }

    /// <summary>Seals a 16-byte file key to a recipient: the stanza's enc argument (1120 bytes) and body (32 bytes).</summary>
    /// <exception cref="SecretsException">
    /// The recipient key is not 1216 bytes, or is not a valid key: its ML-KEM part fails the FIPS 203 modulus check or
    /// its X25519 part is a low-order point (kind <see cref="ErrorKind.InvalidKey"/>).
    /// </exception>
    /// <exception cref="ArgumentException">The file key is not 16 bytes (a caller bug, not user input).</exception>
    public static (byte[] Enc, byte[] Body) Wrap(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> fileKey)
    {
        Span<byte> encapsulationSeed = stackalloc byte[XWing.EncapsulationSeedSize];
        try
        {
            RandomNumberGenerator.Fill(encapsulationSeed);
            return Wrap(recipientPublicKey, fileKey, encapsulationSeed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encapsulationSeed);
        }
    }

    /// <summary>
    /// Unwraps the file key from an <c>mlkem768x25519</c> stanza. False means "not mine": the AEAD tag did not verify
    /// under this identity (a different recipient, or a corrupted enc or body — ML-KEM's implicit rejection turns a
    /// forged enc into a pseudorandom key, so the tag fails).
    /// </summary>
    /// <exception cref="InvalidFileException">
    /// The enc is not 1120 bytes, the body is not 32 bytes, or the X25519 part of enc is a low-order point (age and
    /// its testkit treat these as a malformed header, not as a different recipient).
    /// </exception>
    /// <exception cref="SecretsException">The seed is not 32 bytes (kind <see cref="ErrorKind.InvalidKey"/>).</exception>
    public static bool TryUnwrap(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> body, out byte[] fileKey)
    {
        RequireSeed(seed);
        if (enc.Length != EncapsulatedKeySize)
        {
            throw new InvalidFileException(
                $"invalid {StanzaType} stanza: the encapsulated key is {enc.Length} bytes, expected {EncapsulatedKeySize}");
        }

        if (body.Length != BodySize)
        {
            throw new InvalidFileException(
                $"invalid {StanzaType} stanza: the body is {body.Length} bytes, expected {BodySize}");
        }

        Span<byte> sharedSecret = stackalloc byte[XWing.SharedSecretSize];
        try
        {
            if (!XWing.TryDecapsulate(seed, enc, sharedSecret))
            {
                throw new InvalidFileException(
                    $"invalid {StanzaType} stanza: the X25519 share is a low-order point");
            }

            var key = new byte[FileKeySize];
            if (!Hpke.TryOpenBase(KemId, sharedSecret, Info, [], body, key))
            {
                fileKey = [];
                return false;
            }

            fileKey = key;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    /// <summary>Deterministic <see cref="Wrap(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> for known-answer tests.</summary>
    internal static (byte[] Enc, byte[] Body) Wrap(
        ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> encapsulationSeed)
    {
        if (recipientPublicKey.Length != EncapsulationKeySize)
        {
            throw new SecretsOperationException(
                ErrorKind.InvalidKey,
                $"invalid {StanzaType} recipient: the public key is {recipientPublicKey.Length} bytes, expected {EncapsulationKeySize}");
        }

        if (fileKey.Length != FileKeySize)
        {
            throw new ArgumentException($"the file key must be {FileKeySize} bytes", nameof(fileKey));
        }

        var enc = new byte[EncapsulatedKeySize];
        Span<byte> sharedSecret = stackalloc byte[XWing.SharedSecretSize];
        try
        {
            if (!XWing.TryEncapsulate(recipientPublicKey, encapsulationSeed, enc, sharedSecret))
            {
                throw new SecretsOperationException(
                    ErrorKind.InvalidKey,
                    $"invalid {StanzaType} recipient: the public key is not a valid ML-KEM-768 + X25519 key");
            }

            var body = new byte[BodySize];
            Hpke.SealBase(KemId, sharedSecret, Info, [], fileKey, body);
            return (enc, body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    private static void RequireSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new SecretsOperationException(
                ErrorKind.InvalidKey,
                $"invalid {StanzaType} identity: the seed is {seed.Length} bytes, expected {SeedSize}");
        }
    }
}
