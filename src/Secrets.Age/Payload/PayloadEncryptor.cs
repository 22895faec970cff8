using System.Security.Cryptography;

namespace Secrets.Age.Payload;

/// <summary>
/// STREAM encryption (age.md §6) with bounded memory: the plaintext is read in 1 MiB batches of 64 KiB chunks, each
/// batch is sealed on its own core while the next is read, and ciphertext is written in order (<see cref="BatchPipeline{TResult}"/>).
/// A batch is held back until the next read shows whether it is the last, so a plaintext that is a multiple of
/// 64 KiB ends with a full final chunk and never with an empty one.
/// </summary>
internal static class PayloadEncryptor
{
    private const int BatchPlaintext = PayloadKey.ChunkSize * PayloadKey.ChunksPerBatch;
    private const int BatchCiphertext = PayloadKey.EncryptedChunkSize * PayloadKey.ChunksPerBatch;

    public static async Task EncryptAsync(Stream plaintext, Stream output, byte[] payloadKey, CancellationToken cancellationToken)
    {
        using var aeads = new AeadPool(payloadKey);

        // The first chunk is read on its own: a plaintext shorter than a chunk (most files) is sealed right here with
        // buffers of its size, no batch buffers to allocate and clear and no threads to start.
        var first = GC.AllocateUninitializedArray<byte>(PayloadKey.ChunkSize);
        var length = await ReadBatchAsync(plaintext, first, cancellationToken).ConfigureAwait(false);
        try
        {
            if (length < first.Length)
            {
                var ciphertext = GC.AllocateUninitializedArray<byte>(length + PayloadKey.TagSize);
                var written = SealBatch(aeads, first, length, ciphertext, 0, final: true);
                await output.WriteAsync(ciphertext.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
                return;
            }

            await EncryptBatchesAsync(plaintext, first, output, aeads, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(first.AsSpan(0, length));
        }
    }

    /// <summary>Everything after a full first chunk, in batches: inline while the plaintext fits one, else in parallel.</summary>
    private static async Task EncryptBatchesAsync(Stream plaintext, byte[] firstChunk, Stream output, AeadPool aeads, CancellationToken cancellationToken)
    {
        using var inputs = new BufferPool(BatchPlaintext, secret: true);
        using var outputs = new BufferPool(BatchCiphertext, secret: false);

        async ValueTask<int> ReadAsync(byte[] buffer, int offset)
        {
            var read = offset + await ReadBatchAsync(plaintext, buffer.AsMemory(offset), cancellationToken).ConfigureAwait(false);
            inputs.Used(read);
            return read;
        }

        var batch = inputs.Rent();
        inputs.Used(firstChunk.Length);
        firstChunk.CopyTo(batch, 0);
        var length = await ReadAsync(batch, firstChunk.Length).ConfigureAwait(false);
        if (length < BatchPlaintext)
        {
            // One batch (under 1 MiB): still no threads to start.
            var ciphertext = outputs.Rent();
            var written = SealBatch(aeads, batch, length, ciphertext, 0, final: true);
            await output.WriteAsync(ciphertext.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
            return;
        }

        var pipeline = new BatchPipeline<Sealed>(
            async (done, ct) =>
            {
                inputs.Return(done.Plaintext);
                await output.WriteAsync(done.Ciphertext.AsMemory(0, done.Length), ct).ConfigureAwait(false);
                outputs.Return(done.Ciphertext);
                return !done.Final;
            },
            cancellationToken);
        await using (pipeline.ConfigureAwait(false))
        {
            ulong counter = 0;
            while (true)
            {
                var final = length < BatchPlaintext;
                byte[]? next = null;
                var nextLength = 0;
                if (!final)
                {
                    next = inputs.Rent();
                    nextLength = await ReadAsync(next, 0).ConfigureAwait(false);
                    final = nextLength == 0;
                }

                var (input, inputLength, first, isFinal) = (batch, length, counter, final);
                var posted = await pipeline.PostAsync(() =>
                {
                    var ciphertext = outputs.Rent();
                    return new Sealed(input, ciphertext, SealBatch(aeads, input, inputLength, ciphertext, first, isFinal), isFinal);
                }).ConfigureAwait(false);
                if (!posted || final)
                {
                    break;
                }

                counter += PayloadKey.ChunksPerBatch;
                (batch, length) = (next!, nextLength);
            }

            await pipeline.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static ValueTask<int> ReadBatchAsync(Stream plaintext, Memory<byte> batch, CancellationToken cancellationToken) =>
        plaintext.ReadAtLeastAsync(batch, batch.Length, throwOnEndOfStream: false, cancellationToken);

    /// <summary>Seals one batch; returns the ciphertext length. An empty final batch is one empty chunk (16-byte tag).</summary>
    private static int SealBatch(AeadPool aeads, byte[] plaintext, int length, byte[] output, ulong firstCounter, bool final)
    {
        var chunks = Math.Max(1, (length + PayloadKey.ChunkSize - 1) / PayloadKey.ChunkSize);
        var aead = aeads.Rent();
        try
        {
            Span<byte> nonce = stackalloc byte[StreamNonce.Size];
            for (var i = 0; i < chunks; i++)
            {
                var start = i * PayloadKey.ChunkSize;
                var chunk = plaintext.AsSpan(start, Math.Min(PayloadKey.ChunkSize, length - start));
                var sealedChunk = output.AsSpan(i * PayloadKey.EncryptedChunkSize, chunk.Length + PayloadKey.TagSize);
                StreamNonce.Write(nonce, firstCounter + (ulong)i, final && i == chunks - 1);
                aead.Encrypt(nonce, chunk, sealedChunk[..chunk.Length], sealedChunk[chunk.Length..]);
            }
        }
        finally
        {
            aeads.Return(aead);
        }

        return length + (chunks * PayloadKey.TagSize);
    }

    private sealed record Sealed(byte[] Plaintext, byte[] Ciphertext, int Length, bool Final);
}
