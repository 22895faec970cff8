using Secrets.Core;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>A sync step failed (decoding, invalid keys, provider error). The message names keys and stores, never values.</summary>
public class SyncException(string message, Exception? innerException = null) : SecretsException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.KeyProvider;
}
