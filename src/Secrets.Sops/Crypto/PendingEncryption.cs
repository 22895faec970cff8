using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;

namespace Secrets.Sops.Crypto;

/// <summary>
/// A value the tree walker selected for encryption whose <c>ENC[…]</c> text is made only when a store writes it
/// (<see cref="Engine.SopsEngine.EncryptOnWriteAsync"/>). Values are encrypted in file order a batch at a time, so the
/// <c>ENC[…]</c> text of a whole file is never held at once (docs/sops.md "Benchmark"). The path it is encrypted
/// under is kept as the parent's AAD and the key, which the tree holds anyway, rather than as a string per value.
/// </summary>
public sealed class PendingEnc
{
    private readonly PendingEncryption _owner;
    private readonly string _aadStart;
    private readonly string? _aadName;

    internal PendingEnc(PendingEncryption owner, int index, object value, string aadStart, string? aadName)
    {
        _owner = owner;
        Index = index;
        Value = value;
        _aadStart = aadStart;
        _aadName = aadName;
    }

    /// <summary>The <c>ENC[…]</c> text as UTF-8 (ASCII); valid until a value of another batch is asked for.</summary>
    public ReadOnlySpan<byte> Utf8 => _owner.Text(this);

    internal int Index { get; }

    /// <summary>The plaintext value.</summary>
    internal object Value { get; }

    internal string Aad => _aadName is null ? _aadStart : string.Concat(_aadStart, _aadName, ":");

    public override string ToString() => Encoding.ASCII.GetString(Utf8);
}

/// <summary>
/// The <see cref="PendingEnc"/> values of one file in file order. When a store asks for one, the
/// <see cref="BatchSize"/> values of its batch are encrypted together (in parallel chunks, as the walker
/// does) into reused UTF-8 buffers; stores write in file order, so each batch is encrypted once.
/// </summary>
internal sealed class PendingEncryption(ValueCipher cipher) : IDisposable
{
    public const int BatchSize = TreeWalker.EncryptBatchSize;
    private const int ChunkSize = TreeWalker.ChunkSize;
    private readonly BlockList<PendingEnc> _values = new(ChunkSize);
    private readonly ArrayBufferWriter<byte>?[] _texts = new ArrayBufferWriter<byte>?[BatchSize / ChunkSize];
    private readonly int[] _ends = new int[BatchSize];
    private int _batch = -1;
    private bool _disposed;

    /// <summary>How many values are pending.</summary>
    public int Count => _values.Count;

    /// <summary>Registers the next value in file order.</summary>
    public PendingEnc Add(object value, string aadStart, string? aadName)
    {
        var pending = new PendingEnc(this, Count, value, aadStart, aadName);
        _values.Add(pending);
        return pending;
    }

    public ReadOnlySpan<byte> Text(PendingEnc value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var batch = value.Index / BatchSize;
        if (batch != _batch)
        {
            Encrypt(batch);
        }

        var at = value.Index % BatchSize;
        var start = at % ChunkSize == 0 ? 0 : _ends[at - 1];
        return _texts[at / ChunkSize]!.WrittenSpan[start.._ends[at]];
    }

    /// <summary>The data key is zeroed: values not written yet cannot be any more.</summary>
    public void Dispose()
    {
        _disposed = true;
        cipher.Dispose();
    }

    private void Encrypt(int batch)
    {
        _batch = -1;
        var first = batch * BatchSize;
        var count = Math.Min(BatchSize, Count - first);
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        var errors = new ExceptionDispatchInfo?[chunks];
        TreeWalker.ForEachChunk(count, chunk => errors[chunk] = EncryptChunk(first, chunk, count));

        foreach (var error in errors)
        {
            error?.Throw();
        }

        _batch = batch;
    }

    private ExceptionDispatchInfo? EncryptChunk(int first, int chunk, int count)
    {
        var output = _texts[chunk] ??= new ArrayBufferWriter<byte>(ChunkSize * 160);
        output.ResetWrittenCount();
        var session = cipher.RentSession();
        try
        {
            for (var at = chunk * ChunkSize; at < Math.Min(count, (chunk + 1) * ChunkSize); at++)
            {
                var index = first + at;
                var pending = _values[index];
                var plain = PlainValue.ToBytes(pending.Value);
                try
                {
                    cipher.Encrypt(pending.Value, plain, pending.Aad, session, output);
                }
                finally
                {
                    if (!ReferenceEquals(plain, pending.Value))
                    {
                        CryptographicOperations.ZeroMemory(plain);
                    }
                }

                _ends[at] = output.WrittenCount;
            }

            return null;
        }
        catch (Exception ex)
        {
            return ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            cipher.ReturnSession(session);
        }
    }
}
