using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>Finds stores and namespace labels (the controller reads them from the API server or its informer cache).</summary>
public interface IStoreLookup
{
    /// <summary>A SecretStore in <paramref name="ns"/> or a ClusterSecretStore (ns ignored); null when absent.</summary>
    Task<SecretStore?> GetStoreAsync(StoreKind kind, string ns, string name, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetNamespaceLabelsAsync(string ns, CancellationToken cancellationToken);
}
