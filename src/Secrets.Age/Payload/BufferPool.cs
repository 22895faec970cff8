using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Secrets.Age.Payload;

/// <summary>
/// Batch buffers of one stream, reused between batches. The pipeline bounds how many are out at once, so the pool
/// never blocks; every buffer it ever made is zeroed on dispose because they held plaintext.
/// </summary>
internal sealed class BufferPool(int size) : IDisposable
{
    private readonly ConcurrentBag<byte[]> _free = [];
    private readonly ConcurrentBag<byte[]> _all = [];

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
        foreach (var buffer in _all)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
