using System.Security.Cryptography;

namespace Secrets.Age.Payload;

/// <summary>
/// STREAM encryption (age.md §6) with bounded memory: 64 KiB chunks sealed a batch at a time across cores, written
/// in order while the next batch is read. One byte of look-ahead decides which chunk carries the final flag, so a
/// plaintext that is a multiple of 64 KiB ends with a full final chunk and never with an empty one.
/// </summary>
internal static class PayloadEncryptor
{
    private const int BatchPlaintext = PayloadKey.ChunkSize * PayloadKey.ChunksPerBatch;

    public static async Task EncryptAsync(Stream plaintext, Stream output, byte[] payloadKey, CancellationToken cancellationToken)
    {
        var input = new byte[BatchPlaintext];
        byte[][] outputs = [new byte[PayloadKey.EncryptedChunkSize * PayloadKey.ChunksPerBatch], new byte[PayloadKey.EncryptedChunkSize * PayloadKey.ChunksPerBatch]];
        var lookAhead = new byte[1];
        var carried = 0;
        ulong counter = 0;
        var pendingWrite = Task.CompletedTask;
        try
        {
            for (var batch = 0; ; batch++)
            {
                var length = carried + await plaintext.ReadAtLeastAsync(input.AsMemory(carried), BatchPlaintext - carried, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var final = length < BatchPlaintext
                    || await plaintext.ReadAsync(lookAhead, cancellationToken).ConfigureAwait(false) == 0;
                var sealedBatch = outputs[batch % 2];
                var written = SealBatch(payloadKey, input, length, sealedBatch, counter, final, cancellationToken);
                counter += (ulong)Math.Max(1, (length + PayloadKey.ChunkSize - 1) / PayloadKey.ChunkSize);
                await pendingWrite.ConfigureAwait(false);
                pendingWrite = output.WriteAsync(sealedBatch.AsMemory(0, written), cancellationToken).AsTask();
                if (final)
                {
                    break;
                }

                input[0] = lookAhead[0];
                carried = 1;
            }

            await pendingWrite.ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>Seals one batch; returns the ciphertext length. An empty final batch is one empty chunk (16-byte tag).</summary>
    internal static int SealBatch(byte[] key, byte[] plaintext, int length, byte[] output, ulong firstCounter, bool final, CancellationToken cancellationToken)
    {
        var chunks = Math.Max(1, (length + PayloadKey.ChunkSize - 1) / PayloadKey.ChunkSize);
        if (chunks == 1)
        {
            using var aead = new ChaCha20Poly1305(key);
            SealChunk(aead, plaintext.AsSpan(0, length), output, firstCounter, final);
            return length + PayloadKey.TagSize;
        }

        Parallel.For(
            0,
            chunks,
            PayloadKey.Parallelism(cancellationToken),
            () => new ChaCha20Poly1305(key),
            (i, _, aead) =>
            {
                var start = i * PayloadKey.ChunkSize;
                var chunk = plaintext.AsSpan(start, Math.Min(PayloadKey.ChunkSize, length - start));
                SealChunk(aead, chunk, output.AsSpan(i * PayloadKey.EncryptedChunkSize), firstCounter + (ulong)i, final && i == chunks - 1);
                return aead;
            },
            aead => aead.Dispose());
        return length + (chunks * PayloadKey.TagSize);
    }

    private static void SealChunk(ChaCha20Poly1305 aead, ReadOnlySpan<byte> chunk, Span<byte> output, ulong counter, bool final)
    {
        Span<byte> nonce = stackalloc byte[StreamNonce.Size];
        StreamNonce.Write(nonce, counter, final);
        aead.Encrypt(nonce, chunk, output[..chunk.Length], output.Slice(chunk.Length, PayloadKey.TagSize));
    }
}
