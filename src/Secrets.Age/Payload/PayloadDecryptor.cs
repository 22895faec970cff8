using System.Security.Cryptography;
using Secrets.Age.Format;

namespace Secrets.Age.Payload;

/// <summary>
/// STREAM decryption with the reference reader's semantics (age.md §6, testkit README "partial-payload rule"): read
/// up to 65552 bytes per chunk without look-ahead; a short read is the final chunk; a full chunk opens as non-final,
/// else as final and then nothing may follow. Chunks of a batch open in parallel, but plaintext is released strictly
/// in order and only up to the first chunk that fails, which is then reported.
/// </summary>
internal static class PayloadDecryptor
{
    private const int BatchCiphertext = PayloadKey.EncryptedChunkSize * PayloadKey.ChunksPerBatch;

    private enum Outcome
    {
        NonFinal,
        Final,
        Failed,
        EmptyFinal,
    }

    public static async Task DecryptAsync(BufferedInput input, Stream output, byte[] payloadKey, CancellationToken cancellationToken)
    {
        var ciphertext = new byte[BatchCiphertext];
        byte[][] plaintexts = [new byte[PayloadKey.ChunkSize * PayloadKey.ChunksPerBatch], new byte[PayloadKey.ChunkSize * PayloadKey.ChunksPerBatch]];
        var outcomes = new Outcome[PayloadKey.ChunksPerBatch];
        ulong counter = 0;
        var pendingWrite = Task.CompletedTask;
        try
        {
            for (var batch = 0; ; batch++)
            {
                var length = await input.ReadFullyAsync(ciphertext, cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    throw await FailAsync(pendingWrite, "the file is truncated (no final chunk)").ConfigureAwait(false);
                }

                var chunks = (length + PayloadKey.EncryptedChunkSize - 1) / PayloadKey.EncryptedChunkSize;
                var plaintext = plaintexts[batch % 2];
                OpenBatch(payloadKey, ciphertext, length, plaintext, outcomes, counter, cancellationToken);

                var released = 0;
                string? error = null;
                var final = false;
                for (var i = 0; i < chunks && error is null && !final; i++)
                {
                    var chunkLength = Math.Min(PayloadKey.EncryptedChunkSize, length - (i * PayloadKey.EncryptedChunkSize));
                    switch (outcomes[i])
                    {
                        case Outcome.NonFinal:
                        case Outcome.Final:
                            released += chunkLength - PayloadKey.TagSize;
                            final = outcomes[i] == Outcome.Final;
                            if (final && (i < chunks - 1 || (length == BatchCiphertext && await HasMoreAsync(input, cancellationToken).ConfigureAwait(false))))
                            {
                                error = "trailing data after the final chunk";
                            }

                            break;
                        case Outcome.EmptyFinal:
                            error = "the final chunk is empty";
                            break;
                        default:
                            error = $"chunk {counter + (ulong)i} does not authenticate (the file is corrupted, truncated or tampered with)";
                            break;
                    }
                }

                await pendingWrite.ConfigureAwait(false);
                pendingWrite = output.WriteAsync(plaintext.AsMemory(0, released), cancellationToken).AsTask();
                if (error is not null)
                {
                    throw await FailAsync(pendingWrite, error).ConfigureAwait(false);
                }

                if (final)
                {
                    break;
                }

                if (length < BatchCiphertext)
                {
                    throw await FailAsync(pendingWrite, "the file is truncated (no final chunk)").ConfigureAwait(false);
                }

                counter += (ulong)chunks;
            }

            await pendingWrite.ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintexts[0]);
            CryptographicOperations.ZeroMemory(plaintexts[1]);
        }
    }

    private static async Task<bool> HasMoreAsync(BufferedInput input, CancellationToken cancellationToken) =>
        (await input.PeekAsync(1, cancellationToken).ConfigureAwait(false)).Length > 0;

    private static async Task<PayloadIntegrityException> FailAsync(Task pendingWrite, string message)
    {
        // Plaintext that authenticated is released before the error is reported (age.md §6).
        await pendingWrite.ConfigureAwait(false);
        return new PayloadIntegrityException(message);
    }

    private static void OpenBatch(byte[] key, byte[] ciphertext, int length, byte[] plaintext, Outcome[] outcomes, ulong firstCounter, CancellationToken cancellationToken)
    {
        var chunks = (length + PayloadKey.EncryptedChunkSize - 1) / PayloadKey.EncryptedChunkSize;
        if (chunks == 1)
        {
            using var aead = new ChaCha20Poly1305(key);
            outcomes[0] = OpenChunk(aead, ciphertext.AsSpan(0, length), plaintext, firstCounter);
            return;
        }

        Parallel.For(
            0,
            chunks,
            PayloadKey.Parallelism(cancellationToken),
            () => new ChaCha20Poly1305(key),
            (i, _, aead) =>
            {
                var start = i * PayloadKey.EncryptedChunkSize;
                var chunk = ciphertext.AsSpan(start, Math.Min(PayloadKey.EncryptedChunkSize, length - start));
                outcomes[i] = OpenChunk(aead, chunk, plaintext.AsSpan(i * PayloadKey.ChunkSize), firstCounter + (ulong)i);
                return aead;
            },
            aead => aead.Dispose());
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
}
