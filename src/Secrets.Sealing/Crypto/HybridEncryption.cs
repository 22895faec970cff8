using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Secrets.Sealing.Crypto;

/// <summary>
/// The hybrid format of one <c>encryptedData</c> value (sealed-secrets.md §1.2):
/// <c>u16be(L) ‖ RSA-OAEP-SHA256(label)(session key) ‖ AES-256-GCM(zero nonce)(plaintext) ‖ tag</c>.
/// BouncyCastle does the RSA part because the BCL cannot pass an OAEP label; the engine is blinded.
/// </summary>
internal static class HybridEncryption
{
    public const int SessionKeySize = 32;
    public const int TagSize = 16;
    private const int PrefixSize = 2;

    // sealed-secrets.md §1.1: a fresh key per value makes the constant nonce safe.
    private static readonly byte[] ZeroNonce = new byte[12];

    public static byte[] Encrypt(RsaKeyParameters publicKey, byte[] label, ReadOnlySpan<byte> plaintext)
    {
        var sessionKey = RandomNumberGenerator.GetBytes(SessionKeySize);
        try
        {
            var oaep = NewOaep(label);
            oaep.Init(true, new ParametersWithRandom(publicKey, new SecureRandom()));
            var rsaCiphertext = oaep.ProcessBlock(sessionKey, 0, sessionKey.Length);
            var blob = new byte[PrefixSize + rsaCiphertext.Length + plaintext.Length + TagSize];
            BinaryPrimitives.WriteUInt16BigEndian(blob, checked((ushort)rsaCiphertext.Length));
            rsaCiphertext.CopyTo(blob, PrefixSize);
            using var aes = new AesGcm(sessionKey, TagSize);
            var offset = PrefixSize + rsaCiphertext.Length;
            aes.Encrypt(ZeroNonce, plaintext, blob.AsSpan(offset, plaintext.Length), blob.AsSpan(blob.Length - TagSize));
            return blob;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>Splits a blob into its RSA and AES parts; false when it is too short (Go: "SealedSecret data is too short").</summary>
    public static bool TrySplit(ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> rsaCiphertext, out ReadOnlyMemory<byte> aesPart)
    {
        rsaCiphertext = default;
        aesPart = default;
        if (blob.Length < PrefixSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(blob.Span);
        if (blob.Length < PrefixSize + length + TagSize)
        {
            return false;
        }

        rsaCiphertext = blob.Slice(PrefixSize, length);
        aesPart = blob[(PrefixSize + length)..];
        return true;
    }

    /// <summary>RSA-OAEP decrypts the session key; false when the key or the label does not match (one uniform failure).</summary>
    public static bool TryDecryptSessionKey(RsaPrivateCrtKeyParameters privateKey, byte[] label, ReadOnlyMemory<byte> rsaCiphertext, out byte[] sessionKey)
    {
        sessionKey = [];
        if (rsaCiphertext.Length != (privateKey.Modulus.BitLength + 7) / 8)
        {
            return false;
        }

        try
        {
            var oaep = NewOaep(label);
            oaep.Init(false, privateKey);
            var input = rsaCiphertext.ToArray();
            var key = oaep.ProcessBlock(input, 0, input.Length);
            if (key.Length != SessionKeySize)
            {
                CryptographicOperations.ZeroMemory(key);
                return false;
            }

            sessionKey = key;
            return true;
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }
        catch (DataLengthException)
        {
            return false;
        }
    }

    /// <summary>AES-256-GCM with the zero nonce; false when the tag does not verify.</summary>
    public static bool TryDecryptPayload(byte[] sessionKey, ReadOnlySpan<byte> aesPart, out byte[] plaintext)
    {
        plaintext = new byte[aesPart.Length - TagSize];
        try
        {
            using var aes = new AesGcm(sessionKey, TagSize);
            aes.Decrypt(ZeroNonce, aesPart[..^TagSize], aesPart[^TagSize..], plaintext);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext = [];
            return false;
        }
    }

    private static OaepEncoding NewOaep(byte[] label) =>
        new(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), label);
}
