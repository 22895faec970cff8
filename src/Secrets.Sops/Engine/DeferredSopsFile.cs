using Secrets.Sops.Crypto;

namespace Secrets.Sops.Engine;

/// <summary>
/// An encrypted file whose values are encrypted as a store writes them (<see cref="SopsEngine.EncryptOnWriteAsync"/>):
/// <see cref="File"/>'s documents hold <see cref="PendingEnc"/> values, and the data key is kept until disposed.
/// </summary>
public sealed class DeferredSopsFile : IDisposable
{
    private readonly PendingEncryption _pending;

    internal DeferredSopsFile(SopsFile file, PendingEncryption pending)
    {
        File = file;
        _pending = pending;
    }

    public SopsFile File { get; }

    public void Dispose() => _pending.Dispose();
}
