namespace Secrets.Core.Keys;

/// <summary>
/// A master key that wraps sops data keys (or Shamir shares): an age recipient, a PGP public key, a KMS key.
/// Like age's Recipient it only encrypts; recovering a data key is <see cref="IMasterKeySource.TryUnwrapAsync"/>.
/// </summary>
public interface IMasterKey
{
    /// <summary>The metadata list the key is stored in (<see cref="MasterKeyEntry.Type"/>).</summary>
    string Type { get; }

    /// <summary>What the user knows the key by (recipient, fingerprint, ARN, URL); never secret.</summary>
    string Id { get; }

    /// <summary>
    /// Wraps <paramref name="dataKey"/> and returns the complete metadata entry (<c>enc</c> plus the key's
    /// descriptive fields; a key rebuilt from a stored entry keeps its <c>created_at</c>).
    /// A failing key service throws <see cref="KeyProviderException"/>.
    /// </summary>
    ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken);
}
