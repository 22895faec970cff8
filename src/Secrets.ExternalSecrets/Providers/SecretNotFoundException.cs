using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>ESO's NoSecretErr: the remote secret (or the version/property asked for) does not exist.</summary>
public sealed class SecretNotFoundException(string message, Exception? innerException = null) : SyncException(message, innerException)
{
    public static SecretNotFoundException ForKey(string provider, string key) => new($"{provider}: secret \"{key}\" not found");
}
