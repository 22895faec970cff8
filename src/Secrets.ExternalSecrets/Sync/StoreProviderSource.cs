using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>Options of the ExternalSecret controller that change store resolution (eso-flux.md §1.7).</summary>
public sealed record StoreResolutionOptions
{
    /// <summary><c>--controller-class</c>; a store with a different non-empty <c>spec.controller</c> is skipped.</summary>
    public string ControllerClass { get; init; } = "default";

    /// <summary><c>--enable-flood-gate</c>: only Ready stores serve ExternalSecrets.</summary>
    public bool FloodGate { get; init; } = true;

    /// <summary><c>--enable-cluster-store-reconciler</c>.</summary>
    public bool ClusterStoresEnabled { get; init; } = true;
}

/// <summary>
/// Resolves the stores one ExternalSecret uses into provider clients, enforcing the flood gate and the
/// ClusterSecretStore namespace conditions, and caching one client per store for the duration of one sync.
/// </summary>
public sealed class StoreProviderSource(
    string externalSecretNamespace,
    IStoreLookup stores,
    ProviderRegistry registry,
    IKubeObjectReader objects,
    StoreResolutionOptions options,
    IServiceAccountTokenSource? tokens = null) : IAsyncDisposable
{
    private readonly Dictionary<StoreRef, ISecretsProvider> _clients = [];

    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    public async Task<SecretStore> GetStoreAsync(StoreRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var store = await stores.GetStoreAsync(reference.Kind, externalSecretNamespace, reference.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncException($"{reference.Kind} \"{reference.Name}\" not found");
        if (options.FloodGate && !store.IsReady)
        {
            throw new SyncException($"{reference.Kind} \"{reference.Name}\" is not ready");
        }

        if (store.Kind == StoreKind.ClusterSecretStore)
        {
            var labels = await stores.GetNamespaceLabelsAsync(externalSecretNamespace, cancellationToken).ConfigureAwait(false);
            if (!StoreAccess.IsAllowed(store, externalSecretNamespace, labels))
            {
                throw new SyncException(StoreAccess.DeniedMessage(reference.Name, externalSecretNamespace));
            }
        }

        return store;
    }

    /// <summary>True when the ExternalSecret must be skipped silently (other controller class, cluster stores disabled).</summary>
    public async Task<bool> ShouldSkipAsync(IEnumerable<StoreRef> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        foreach (var reference in references.Distinct())
        {
            if (reference.Kind == StoreKind.ClusterSecretStore && !options.ClusterStoresEnabled)
            {
                return true;
            }

            var store = await stores.GetStoreAsync(reference.Kind, externalSecretNamespace, reference.Name, cancellationToken).ConfigureAwait(false);
            if (store?.Controller is { Length: > 0 } controller && controller != options.ControllerClass)
            {
                return true;
            }
        }

        return false;
    }

    public async Task<ISecretsProvider> GetProviderAsync(StoreRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_clients.TryGetValue(reference, out var cached))
        {
            return cached;
        }

        var store = await GetStoreAsync(reference, cancellationToken).ConfigureAwait(false);
        var context = new ProviderContext(store, externalSecretNamespace, objects, tokens) { HttpHandlerFactory = HttpHandlerFactory };
        var client = await registry.CreateAsync(context, cancellationToken).ConfigureAwait(false);
        _clients[reference] = client;
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        _clients.Clear();
    }
}
