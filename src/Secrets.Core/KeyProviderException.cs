namespace Secrets.Core;

/// <summary>A key service failed: the provider type, the key it was asked about and the underlying cause.</summary>
public class KeyProviderException(string provider, string keyId, string message, Exception? innerException = null)
    : SecretsException($"{provider} key \"{keyId}\": {message}", innerException)
{
    public override ErrorKind Kind => ErrorKind.KeyProvider;

    public string Provider { get; } = provider;

    public string KeyId { get; } = keyId;
}
