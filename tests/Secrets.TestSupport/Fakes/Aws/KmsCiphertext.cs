using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>
/// The fake's opaque CiphertextBlob: <c>"FKMS" | len | keyId | nonce(12) | tag(16) | AES-256-GCM ciphertext</c>. The key id
/// travels inside (Decrypt needs no KeyId, as with real KMS) and the EncryptionContext is bound as AAD, so a different
/// context fails like real KMS (<c>InvalidCiphertextException</c>).
/// </summary>
internal static class KmsCiphertext
{
    private static readonly byte[] Magic = "FKMS"u8.ToArray();

    public static byte[] Seal(FakeKmsKey key, byte[] plaintext, JsonObject? context)
    {
        var id = Encoding.ASCII.GetBytes(key.KeyId);
        var blob = new byte[Magic.Length + 1 + id.Length + 12 + 16 + plaintext.Length];
        Magic.CopyTo(blob, 0);
        blob[4] = (byte)id.Length;
        id.CopyTo(blob, 5);
        var nonce = blob.AsSpan(5 + id.Length, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Material, 16);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(5 + id.Length + 28), blob.AsSpan(5 + id.Length + 12, 16), Aad(key.KeyId, context));
        return blob;
    }

    /// <summary>The key id inside a blob, or null when the blob is not one of ours.</summary>
    public static string? KeyIdOf(byte[] blob) =>
        blob.Length >= 5 + 28 && blob.AsSpan(0, 4).SequenceEqual(Magic) && blob.Length >= 5 + blob[4] + 28
            ? Encoding.ASCII.GetString(blob, 5, blob[4])
            : null;

    /// <summary>Opens a blob; null when the tag does not verify (wrong context or tampered).</summary>
    public static byte[]? Open(FakeKmsKey key, byte[] blob, JsonObject? context)
    {
        var offset = 5 + blob[4];
        var plaintext = new byte[blob.Length - offset - 28];
        using var aes = new AesGcm(key.Material, 16);
        try
        {
            aes.Decrypt(blob.AsSpan(offset, 12), blob.AsSpan(offset + 28), blob.AsSpan(offset + 12, 16), plaintext, Aad(key.KeyId, context));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>Order-independent encoding of the EncryptionContext (KMS treats it as an unordered map).</summary>
    private static byte[] Aad(string keyId, JsonObject? context)
    {
        var pairs = (context ?? []).Select(kv => (kv.Key, Value: kv.Value?.GetValue<string>() ?? "")).OrderBy(kv => kv.Key, StringComparer.Ordinal);
        var canonical = new JsonObject(pairs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        return Encoding.UTF8.GetBytes(keyId + "\n" + canonical.ToJsonString());
    }
}
