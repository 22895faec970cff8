using System.Text.Json.Nodes;
using k8s;
using Secrets.Controller.Framework;
using Secrets.ExternalSecrets.Api;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// Which ExternalSecrets use which store (spec.secretStoreRef and every data[]/dataFrom[] sourceRef.storeRef), kept from the
/// ExternalSecret informer's events. When a SecretStore or ClusterSecretStore changes its spec or its Ready condition, the
/// ExternalSecrets that use it are queued at once (ESO's store watch), instead of waiting for their refresh or backoff:
/// a store that turns Ready unblocks the ExternalSecrets the flood gate held back (eso-flux.md §1.3 step 3).
/// </summary>
public sealed class StoreReferences
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, StoreKey[]> _byExternalSecret = [];
    private readonly Dictionary<StoreKey, HashSet<ObjectKey>> _byStore = [];

    /// <summary>Subscribes the index and the store informers to the ExternalSecret controller (before any informer runs).</summary>
    public static void Wire(IServiceProvider provider, ResourceController<V1ExternalSecret> controller)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(controller);
        var index = provider.GetRequiredService<StoreReferences>();
        controller.Informer.Subscribe(e => index.Track(e.Type, e.Current));
        provider.GetRequiredService<ResourceController<V1SecretStore>>().Informer.Subscribe(e => index.OnStoreChanged(StoreKind.SecretStore, e, controller.Enqueue));
        provider.GetRequiredService<ResourceController<V1ClusterSecretStore>>().Informer.Subscribe(e => index.OnStoreChanged(StoreKind.ClusterSecretStore, e, controller.Enqueue));
    }

    public void Track(WatchEventType type, V1ExternalSecret externalSecret)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        var key = ObjectKey.Of(externalSecret);

        // Reads a copy: indexing the cached spec would expand its lazily parsed JSON into a node tree that would then stay
        // in the informer's cache for every ExternalSecret (memory, issue 8).
        StoreKey[] stores = type == WatchEventType.Deleted || externalSecret.Spec is not { } spec ? [] : StoresOf(key.Namespace, JsonNode.Parse(spec.ToJsonString()) as JsonObject);
        lock (_gate)
        {
            if (_byExternalSecret.Remove(key, out var previous))
            {
                foreach (var store in previous)
                {
                    if (_byStore.TryGetValue(store, out var users) && users.Remove(key) && users.Count == 0)
                    {
                        _byStore.Remove(store);
                    }
                }
            }

            if (type == WatchEventType.Deleted)
            {
                return;
            }

            _byExternalSecret[key] = stores;
            foreach (var store in stores)
            {
                if (!_byStore.TryGetValue(store, out var users))
                {
                    _byStore[store] = users = [];
                }

                users.Add(key);
            }
        }
    }

    /// <summary>The ExternalSecrets that use the store (a ClusterSecretStore has no namespace).</summary>
    public IReadOnlyList<ObjectKey> Users(StoreKind kind, string? ns, string name)
    {
        lock (_gate)
        {
            return _byStore.TryGetValue(new StoreKey(kind, kind == StoreKind.ClusterSecretStore ? null : ns, name), out var users) ? [.. users] : [];
        }
    }

    private void OnStoreChanged<TStore>(StoreKind kind, InformerEvent<TStore> change, Action<ObjectKey> enqueue)
        where TStore : CustomResource<JsonObject, JsonObject>
    {
        // The store reconciler's own periodic status writes change neither; ESO's predicate is the same (generation or Ready).
        if (change.Type == WatchEventType.Modified && change.Old is { } old
            && old.Metadata.Generation == change.Current.Metadata.Generation && Ready(old) == Ready(change.Current))
        {
            return;
        }

        foreach (var user in Users(kind, change.Current.Metadata.NamespaceProperty, change.Current.Metadata.Name))
        {
            enqueue(user);
        }
    }

    private static string? Ready(CustomResource<JsonObject, JsonObject> store) =>
        store.Status?["conditions"] is JsonArray conditions
            ? conditions.FirstOrDefault(c => c?["type"]?.ToString() == "Ready")?["status"]?.ToString()
            : null;

    private static StoreKey[] StoresOf(string? ns, JsonObject? spec)
    {
        IEnumerable<JsonNode?> SourceRefs(string list) =>
            spec?[list] is JsonArray items ? items.Select(item => item?["sourceRef"]?["storeRef"]) : [];

        return [.. SourceRefs("data").Concat(SourceRefs("dataFrom")).Append(spec?["secretStoreRef"])
            .Where(r => r?["name"] is not null)
            .Select(r => r!["kind"]?.ToString() == nameof(StoreKind.ClusterSecretStore)
                ? new StoreKey(StoreKind.ClusterSecretStore, null, r["name"]!.ToString())
                : new StoreKey(StoreKind.SecretStore, ns, r["name"]!.ToString()))
            .Distinct()];
    }

    private readonly record struct StoreKey(StoreKind Kind, string? Namespace, string Name);
}
