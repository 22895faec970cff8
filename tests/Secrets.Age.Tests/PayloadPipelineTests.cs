using Secrets.Core;

namespace Secrets.Age.Tests;

/// <summary>
/// Files of many 1 MiB batches, which go through the overlapped read/seal/write pipeline: they round-trip, and a
/// failure in a later batch releases exactly the chunks before it (age.md §6 partial-payload rule).
/// </summary>
public sealed class PayloadPipelineTests
{
    private const int Chunk = 64 * 1024;
    private const int Batch = 16 * Chunk;
    private const int EncryptedChunk = Chunk + 16;

    private static readonly X25519Identity Identity = X25519Identity.Generate();

    [Theory]
    [InlineData(Batch)]
    [InlineData(2 * Batch)]
    [InlineData((7 * Batch) - 1)]
    [InlineData((7 * Batch) + 1)]
    [InlineData((12 * Batch) + Chunk)]
    public void Multi_batch_plaintexts_round_trip_with_the_predicted_size(int size)
    {
        var plaintext = RandomBytes(size);

        var file = AgeFile.Encrypt(plaintext, [Identity.Recipient], armor: false);

        var chunks = Math.Max(1, (size + Chunk - 1) / Chunk);
        Assert.Equal(size + (chunks * 16), file.Length - PayloadOffset(file));
        Assert.Equal(plaintext, AgeFile.Decrypt(file, [Identity]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(79)]
    public void A_corrupted_chunk_releases_exactly_the_chunks_before_it(int corruptChunk)
    {
        var plaintext = RandomBytes(80 * Chunk);
        var file = AgeFile.Encrypt(plaintext, [Identity.Recipient], armor: false);
        file[PayloadOffset(file) + (corruptChunk * EncryptedChunk) + 5] ^= 0x40;

        var (error, released) = DecryptStreaming(file);

        Assert.IsType<PayloadIntegrityException>(error);
        Assert.Contains($"chunk {corruptChunk} ", error.Message, StringComparison.Ordinal);
        Assert.Equal(plaintext.AsSpan(0, corruptChunk * Chunk).ToArray(), released);
    }

    [Fact]
    public void A_file_cut_at_a_batch_boundary_is_truncated_after_releasing_what_authenticated()
    {
        var plaintext = RandomBytes((3 * Batch) + 100);
        var file = AgeFile.Encrypt(plaintext, [Identity.Recipient], armor: false);
        var cut = file.AsSpan(0, PayloadOffset(file) + (3 * 16 * EncryptedChunk)).ToArray();

        var (error, released) = DecryptStreaming(cut);

        Assert.Contains("truncated", Assert.IsType<PayloadIntegrityException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(plaintext.AsSpan(0, 3 * Batch).ToArray(), released);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EncryptedChunk)]
    [InlineData(3 * Batch)]
    public void Data_after_a_final_chunk_that_ends_a_batch_is_rejected(int trailing)
    {
        var plaintext = RandomBytes(4 * Batch);
        var file = AgeFile.Encrypt(plaintext, [Identity.Recipient], armor: false);

        var (error, released) = DecryptStreaming([.. file, .. new byte[trailing]]);

        Assert.Contains("trailing data", Assert.IsType<PayloadIntegrityException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(plaintext, released);
    }

    [Fact]
    public void A_failing_output_stream_fails_encryption_with_its_error()
    {
        using var input = new MemoryStream(RandomBytes(10 * Batch));
        using var output = new FailingStream(failAfter: 3 * Batch);

        var error = Assert.ThrowsAny<IOException>(() => AgeFile.EncryptAsync(input, output, [Identity.Recipient], armor: false, CancellationToken.None).GetAwaiter().GetResult());

        Assert.Equal("disk full", error.Message);
    }

    private static (Exception Error, byte[] Released) DecryptStreaming(byte[] file)
    {
        using var input = new MemoryStream(file, writable: false);
        using var output = new MemoryStream();
        var error = Assert.ThrowsAny<SecretsException>(() => AgeFile.DecryptAsync(input, output, [Identity], CancellationToken.None).GetAwaiter().GetResult());
        return (error, output.ToArray());
    }

    // Header, then "--- " MAC line, then the 16-byte payload nonce.
    private static int PayloadOffset(byte[] file)
    {
        var macLine = file.AsSpan().IndexOf("\n--- "u8) + 1;
        return macLine + file.AsSpan(macLine).IndexOf((byte)'\n') + 1 + 16;
    }

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    private sealed class FailingStream(long failAfter) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Length + buffer.Length > failAfter ? throw new IOException("disk full") : base.WriteAsync(buffer, cancellationToken);
    }
}
