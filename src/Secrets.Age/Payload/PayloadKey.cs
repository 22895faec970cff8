using System.Security.Cryptography;
using Secrets.Age.Crypto;

namespace Secrets.Age.Payload;

/// <summary>The payload key (age.md §6): HKDF-SHA256(ikm = file key, salt = the 16-byte payload nonce, info = "payload").</summary>
internal static class PayloadKey
{
    public const int NonceSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int EncryptedChunkSize = ChunkSize + TagSize;

    // Chunks sealed or opened together; independent nonces let them run on every core (1 MiB per batch).
    public const int ChunksPerBatch = 16;

    public static byte[] Derive(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce) => AgeKdf.Derive(fileKey, nonce, "payload"u8);

    public static void Zero(byte[] key) => CryptographicOperations.ZeroMemory(key);
}
