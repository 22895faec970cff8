namespace Secrets.ExternalSecrets.Providers;

/// <summary>
/// Reads Kubernetes objects the sync needs: credential Secrets named by a store's secretRefs (§1.4) and
/// templateFrom ConfigMaps/Secrets. The controller supplies an API-server-backed implementation.
/// </summary>
public interface IKubeObjectReader
{
    /// <summary>The Secret's data, or null when it does not exist.</summary>
    Task<IReadOnlyDictionary<string, byte[]>?> GetSecretDataAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The ConfigMap's data, or null when it does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetConfigMapDataAsync(string ns, string name, CancellationToken cancellationToken);
}

/// <summary>Issues ServiceAccount tokens (TokenRequest) for serviceAccountRef authentication (Kubernetes and Vault providers).</summary>
public interface IServiceAccountTokenSource
{
    Task<string> CreateTokenAsync(string ns, string serviceAccount, IReadOnlyList<string> audiences, CancellationToken cancellationToken);
}
