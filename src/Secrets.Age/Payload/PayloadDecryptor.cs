using System.Security.Cryptography;
using Secrets.Age.Format;

namespace Secrets.Age.Payload;

/// <summary>
/// STREAM decryption with the reference reader's semantics (age.md §6, testkit README "partial-payload rule"): read
/// up to 65552 bytes per chunk without look-ahead; a short read is the final chunk; a full chunk opens as non-final,
/// else as final and then nothing may follow. Batches open in parallel while the next is read
/// (<see cref="BatchPipeline{TResult}"/>), but plaintext is released strictly in order and only up to the first chunk
/// that fails, which is then reported.
/// </summary>
internal static class PayloadDecryptor
{
    private const int BatchCiphertext = PayloadKey.EncryptedChunkSize * PayloadKey.ChunksPerBatch;
    private const int BatchPlaintext = PayloadKey.ChunkSize * PayloadKey.ChunksPerBatch;

    private enum Outcome
    {
        NonFinal,
        Final,
        Failed,
        EmptyFinal,
    }

    public static async Task DecryptAsync(BufferedInput input, Stream output, byte[] payloadKey, CancellationToken cancellationToken)
    {
        using var aeads = new AeadPool(payloadKey);
        var release = new InOrderRelease(output);

        // The first chunk is read on its own: a file of one chunk (most files) is opened right here into a buffer of
        // its size, with no batch buffers to allocate and clear and no threads to start.
        var first = GC.AllocateUninitializedArray<byte>(PayloadKey.EncryptedChunkSize);
        var length = await input.ReadFullyAsync(first, cancellationToken).ConfigureAwait(false);
        if (length < first.Length)
        {
            var plaintext = GC.AllocateUninitializedArray<byte>(Math.Max(0, length - PayloadKey.TagSize));
            try
            {
                await release.ConsumeAsync(OpenBatch(aeads, first, length, plaintext, 0), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }

            return;
        }

        using var inputs = new BufferPool(BatchCiphertext, secret: false);
        using var outputs = new BufferPool(BatchPlaintext, secret: true);
        var batch = inputs.Rent();
        first.CopyTo(batch, 0);
        length = first.Length + await input.ReadFullyAsync(batch.AsMemory(first.Length), cancellationToken).ConfigureAwait(false);

        Opened Open(byte[] ciphertext, int ciphertextLength, ulong firstCounter)
        {
            outputs.Used(ciphertextLength);
            return OpenBatch(aeads, ciphertext, ciphertextLength, outputs.Rent(), firstCounter);
        }

        async ValueTask<bool> ConsumeAsync(Opened opened, CancellationToken ct)
        {
            inputs.Return(opened.Ciphertext);
            try
            {
                return await release.ConsumeAsync(opened, ct).ConfigureAwait(false);
            }
            finally
            {
                outputs.Return(opened.Plaintext);
            }
        }

        if (length < BatchCiphertext)
        {
            // One batch (files under 1 MiB): still no threads to start.
            await ConsumeAsync(Open(batch, length, 0), cancellationToken).ConfigureAwait(false);
            return;
        }

        var pipeline = new BatchPipeline<Opened>(ConsumeAsync, cancellationToken);
        await using (pipeline.ConfigureAwait(false))
        {
            // Reading stops after a short batch, or when the consumer has seen the end (or a failure). A full batch
            // ending in the final chunk is followed by one more read, which must be empty (trailing data otherwise).
            for (ulong counter = 0; ; counter += PayloadKey.ChunksPerBatch)
            {
                var (ciphertext, ciphertextLength, firstCounter) = (batch, length, counter);
                var posted = await pipeline.PostAsync(() => Open(ciphertext, ciphertextLength, firstCounter)).ConfigureAwait(false);
                if (!posted || length < BatchCiphertext)
                {
                    break;
                }

                batch = inputs.Rent();
                length = await input.ReadFullyAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            await pipeline.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static Opened OpenBatch(AeadPool aeads, byte[] ciphertext, int length, byte[] plaintext, ulong firstCounter)
    {
        var chunks = (length + PayloadKey.EncryptedChunkSize - 1) / PayloadKey.EncryptedChunkSize;
        var outcomes = new Outcome[chunks];
        var aead = aeads.Rent();
        try
        {
            for (var i = 0; i < chunks; i++)
            {
                var start = i * PayloadKey.EncryptedChunkSize;
                var chunk = ciphertext.AsSpan(start, Math.Min(PayloadKey.EncryptedChunkSize, length - start));
                outcomes[i] = OpenChunk(aead, chunk, plaintext.AsSpan(i * PayloadKey.ChunkSize), firstCounter + (ulong)i);
                if (outcomes[i] != Outcome.NonFinal)
                {
                    // Nothing after a final or failed chunk is released, so there is no point opening it.
                    Array.Resize(ref outcomes, i + 1);
                    break;
                }
            }
        }
        finally
        {
            aeads.Return(aead);
        }

        return new Opened(ciphertext, length, plaintext, outcomes, firstCounter);
    }

    private static Outcome OpenChunk(ChaCha20Poly1305 aead, ReadOnlySpan<byte> chunk, Span<byte> plaintext, ulong counter)
    {
        if (chunk.Length < PayloadKey.EncryptedChunkSize)
        {
            // A short read must be the final chunk, and only the first chunk may be empty.
            if (chunk.Length == PayloadKey.TagSize && counter != 0)
            {
                return Outcome.EmptyFinal;
            }

            return TryOpen(aead, chunk, plaintext, counter, final: true) ? Outcome.Final : Outcome.Failed;
        }

        if (TryOpen(aead, chunk, plaintext, counter, final: false))
        {
            return Outcome.NonFinal;
        }

        return TryOpen(aead, chunk, plaintext, counter, final: true) ? Outcome.Final : Outcome.Failed;
    }

    private static bool TryOpen(ChaCha20Poly1305 aead, ReadOnlySpan<byte> chunk, Span<byte> plaintext, ulong counter, bool final)
    {
        if (chunk.Length < PayloadKey.TagSize)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[StreamNonce.Size];
        StreamNonce.Write(nonce, counter, final);
        var body = chunk.Length - PayloadKey.TagSize;
        try
        {
            aead.Decrypt(nonce, chunk[..body], chunk[body..], plaintext[..body]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>One batch after opening: its chunks' outcomes up to the first that is final or fails.</summary>
    private sealed record Opened(byte[] Ciphertext, int Length, byte[] Plaintext, Outcome[] Outcomes, ulong FirstCounter);

    /// <summary>Releases opened batches in order, each up to its first failing chunk, and decides where the stream ends.</summary>
    private sealed class InOrderRelease(Stream output)
    {
        private bool _endedOnBatchBoundary;

        /// <summary>Returns false once the stream has ended; throws at the first failure, after releasing what authenticated.</summary>
        public async ValueTask<bool> ConsumeAsync(Opened batch, CancellationToken cancellationToken)
        {
            if (_endedOnBatchBoundary)
            {
                return batch.Length > 0 ? throw new PayloadIntegrityException("trailing data after the final chunk") : false;
            }

            if (batch.Length == 0)
            {
                throw new PayloadIntegrityException("the file is truncated (no final chunk)");
            }

            var chunks = (batch.Length + PayloadKey.EncryptedChunkSize - 1) / PayloadKey.EncryptedChunkSize;
            var released = 0;
            string? error = null;
            var final = false;
            for (var i = 0; i < batch.Outcomes.Length && error is null; i++)
            {
                var chunkLength = Math.Min(PayloadKey.EncryptedChunkSize, batch.Length - (i * PayloadKey.EncryptedChunkSize));
                switch (batch.Outcomes[i])
                {
                    case Outcome.NonFinal:
                        released += chunkLength - PayloadKey.TagSize;
                        break;
                    case Outcome.Final:
                        released += chunkLength - PayloadKey.TagSize;
                        final = true;
                        if (i < chunks - 1)
                        {
                            error = "trailing data after the final chunk";
                        }

                        break;
                    case Outcome.EmptyFinal:
                        error = "the final chunk is empty";
                        break;
                    default:
                        error = $"chunk {batch.FirstCounter + (ulong)i} does not authenticate (the file is corrupted, truncated or tampered with)";
                        break;
                }
            }

            // Plaintext that authenticated is released before the error is reported (age.md §6).
            await output.WriteAsync(batch.Plaintext.AsMemory(0, released), cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                throw new PayloadIntegrityException(error);
            }

            if (!final)
            {
                return batch.Length == BatchCiphertext ? true : throw new PayloadIntegrityException("the file is truncated (no final chunk)");
            }

            // A final chunk that fills its batch may still be followed by data: the next (empty) read decides.
            _endedOnBatchBoundary = batch.Length == BatchCiphertext;
            return _endedOnBatchBoundary;
        }
    }
}
