using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Secrets.Age.Payload;

/// <summary>
/// Batch buffers of one stream, allocated on demand and reused between batches. The pipeline bounds how many are out
/// at once, so the pool never blocks. Buffers that held plaintext (<paramref name="secret"/>) are zeroed on dispose,
/// but only as far as any of them was used: clearing untouched pages would fault them in for nothing.
/// </summary>
internal sealed class BufferPool(int size, bool secret) : IDisposable
{
    private readonly ConcurrentBag<byte[]> _free = [];
    private readonly ConcurrentBag<byte[]> _all = [];
    private int _used;

    public byte[] Rent()
    {
        if (_free.TryTake(out var buffer))
        {
            return buffer;
        }

        buffer = GC.AllocateUninitializedArray<byte>(size);
        _all.Add(buffer);
        return buffer;
    }

    public void Return(byte[] buffer) => _free.Add(buffer);

    public void Dispose()
    {
        if (!secret)
        {
            return;
        }

        foreach (var buffer in _all)
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Math.Min(_used, buffer.Length)));
        }
    }

    /// <summary>Records that the first <paramref name="used"/> bytes of a buffer were written or are about to be (an upper bound is fine).</summary>
    public void Used(int used)
    {
        var seen = Volatile.Read(ref _used);
        while (used > seen)
        {
            var previous = Interlocked.CompareExchange(ref _used, used, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
