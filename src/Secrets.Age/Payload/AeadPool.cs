using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Secrets.Age.Payload;

/// <summary>
/// ChaCha20-Poly1305 instances keyed with one payload key, one per concurrent batch: creating an instance sets up a
/// native cipher context, so they are made once per stream rather than once per batch.
/// </summary>
internal sealed class AeadPool(byte[] key) : IDisposable
{
    private readonly ConcurrentBag<ChaCha20Poly1305> _free = [];
    private readonly ConcurrentBag<ChaCha20Poly1305> _all = [];

    public ChaCha20Poly1305 Rent()
    {
        if (_free.TryTake(out var aead))
        {
            return aead;
        }

        aead = new ChaCha20Poly1305(key);
        _all.Add(aead);
        return aead;
    }

    public void Return(ChaCha20Poly1305 aead) => _free.Add(aead);

    public void Dispose()
    {
        foreach (var aead in _all)
        {
            aead.Dispose();
        }
    }
}
