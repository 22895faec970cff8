using System.Text;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Tests;

/// <summary>An in-memory implementation of the library's own read interfaces (stores, namespaces, Secrets, ConfigMaps, tokens).</summary>
internal sealed class InMemoryCluster : IKubeObjectReader, IStoreLookup, IServiceAccountTokenSource
{
    public Dictionary<(string Ns, string Name), Dictionary<string, byte[]>> Secrets { get; } = [];

    public Dictionary<(string Ns, string Name), Dictionary<string, string>> ConfigMaps { get; } = [];

    public Dictionary<(StoreKind Kind, string Ns, string Name), SecretStore> Stores { get; } = [];

    public Dictionary<string, Dictionary<string, string>> NamespaceLabels { get; } = [];

    public List<(string Ns, string Name, IReadOnlyList<string> Audiences)> TokenRequests { get; } = [];

    /// <summary>Handler for HTTP-speaking providers (e.g. trusting a fake's test CA).</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; set; }

    public Func<string, string, string> TokenFor { get; set; } = (ns, sa) => $"token-for-{ns}-{sa}";

    public void AddSecret(string ns, string name, params (string Key, string Value)[] data) =>
        Secrets[(ns, name)] = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));

    public SecretStore AddStore(string yaml, bool ready = true)
    {
        var store = EsoManifest.ReadOne<SecretStore>(yaml, "store");
        if (ready)
        {
            store = store with { StatusConditions = [new StatusCondition("Ready", "True", "Valid", "store validated")] };
        }

        Stores[(store.Kind, store.Kind == StoreKind.ClusterSecretStore ? "" : store.Metadata.Namespace ?? "", store.Metadata.Name)] = store;
        return store;
    }

    public Task<IReadOnlyDictionary<string, byte[]>?> GetSecretDataAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(Secrets.GetValueOrDefault((ns, name)));

    public Task<IReadOnlyDictionary<string, string>?> GetConfigMapDataAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>?>(ConfigMaps.GetValueOrDefault((ns, name)));

    public Task<SecretStore?> GetStoreAsync(StoreKind kind, string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Stores.GetValueOrDefault((kind, kind == StoreKind.ClusterSecretStore ? "" : ns, name)));

    public Task<IReadOnlyDictionary<string, string>> GetNamespaceLabelsAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(NamespaceLabels.GetValueOrDefault(ns) ?? new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns });

    public Task<string> CreateTokenAsync(string ns, string serviceAccount, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        TokenRequests.Add((ns, serviceAccount, audiences));
        return Task.FromResult(TokenFor(ns, serviceAccount));
    }

    /// <summary>Builds a provider client for a stored store directly (for provider-level assertions).</summary>
    public Task<ISecretsProvider> ProviderAsync(ISecretsProviderFactory factory, SecretStore store, string? esNamespace = "apps") =>
        factory.CreateAsync(new ProviderContext(store, esNamespace, this, this) { HttpHandlerFactory = HttpHandlerFactory }, CancellationToken.None);

    /// <summary>An ExternalSecret in namespace "apps" using store "store" with the given spec body.</summary>
    public static ExternalSecret Es(string specBody, string storeKind = "SecretStore") => EsoManifest.ReadOne<ExternalSecret>(
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: web, namespace: apps, uid: es-uid, generation: 1}\nspec:\n"
        + $"  secretStoreRef: {{name: store, kind: {storeKind}}}\n" + specBody, "es.yaml");

    public static string Text(KubeSecret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    /// <summary>Runs one sync of <paramref name="externalSecret"/> against this cluster with the given provider factories.</summary>
    public async Task<SyncOutcome> SyncAsync(ExternalSecret externalSecret, KubeSecret? existing, TimeProvider? clock = null, params ISecretsProviderFactory[] factories)
    {
        var registry = new ProviderRegistry(factories.Length > 0 ? factories : [new Secrets.ExternalSecrets.Providers.Fake.FakeProviderFactory()]);
        await using var source = new StoreProviderSource(externalSecret.Metadata.Namespace ?? "default", this, registry, this, new StoreResolutionOptions(), this) { HttpHandlerFactory = HttpHandlerFactory };
        return await new ExternalSecretSync(this, clock).SyncAsync(externalSecret, existing, source.GetProviderAsync, CancellationToken.None);
    }
}
