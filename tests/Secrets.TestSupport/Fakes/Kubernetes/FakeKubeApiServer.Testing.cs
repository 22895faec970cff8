using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>The typed test API: seed, read, change and wait for objects without going through HTTP.</summary>
public sealed partial class FakeKubeApiServer
{
    /// <summary>Creates an object as a POST would (uid, resourceVersion, timestamps, Secret folding; CRDs get served). Returns the stored copy.</summary>
    public JsonObject Seed(JsonObject obj)
    {
        var resource = Resolve(obj);
        var ns = resource.Namespaced ? ObjectRules.Text(obj["metadata"]?["namespace"]) ?? "default" : null;
        return Run(() => Create(resource, ns, obj.DeepClone().AsObject(), dryRun: false));
    }

    /// <summary>Creates every document of a YAML (or JSON) manifest, e.g. a CRD read in place from the shared vectors.</summary>
    public IReadOnlyList<JsonObject> SeedYaml(string yaml) =>
        YamlJson.ParseAll(yaml).Select(d => Seed(d as JsonObject ?? throw new ArgumentException("a manifest document must be an object"))).ToList();

    /// <summary>A copy of the stored object, or null.</summary>
    public JsonObject? Get(KubeResource resource, string? ns, string name)
    {
        lock (_store.Gate)
        {
            return Copy(_store.Get(resource, ns ?? "", name), resource);
        }
    }

    /// <summary>Copies of the stored objects of one resource (one namespace, or all when null).</summary>
    public IReadOnlyList<JsonObject> List(KubeResource resource, string? ns = null)
    {
        lock (_store.Gate)
        {
            return _store.List(resource, ns).Select(o => Copy(o, resource)!).ToList();
        }
    }

    /// <summary>Changes a stored object as an update by another client would (new resourceVersion, watch event, rules applied).</summary>
    public JsonObject Update(KubeResource resource, string? ns, string name, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Run(() =>
        {
            var old = _store.Get(resource, ns ?? "", name) ?? throw KubeApiException.NotFound(resource, name);
            var updated = old.DeepClone().AsObject();
            change(updated);
            return CommitUpdate(resource, old, updated, statusOnly: false);
        });
    }

    /// <summary>Deletes as a DELETE would (finalizers respected, dependents garbage-collected); false when absent.</summary>
    public bool Delete(KubeResource resource, string? ns, string name, string propagationPolicy = "Background")
    {
        lock (_store.Gate)
        {
            var obj = _store.Get(resource, ns ?? "", name);
            if (obj is null)
            {
                return false;
            }

            DeleteObject(resource, obj, propagationPolicy);
            return true;
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, re-checking after every change; throws <see cref="TimeoutException"/>.</summary>
    public async Task WaitUntilAsync(Func<FakeKubeApiServer, bool> condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_store.Gate)
            {
                changed = _store.Changed;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                // Re-check at least every 100 ms: conditions may depend on things other than the store (e.g. the request log).
                await changed.WaitAsync(TimeSpan.FromMilliseconds(100), limit.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"condition not met within {timeout ?? TimeSpan.FromSeconds(10)}");
            }
        }
    }

    /// <summary>Waits (bounded) until the object exists and satisfies <paramref name="predicate"/>; returns that copy.</summary>
    public async Task<JsonObject> WaitForAsync(KubeResource resource, string? ns, string name, Func<JsonObject, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        JsonObject? found = null;
        await WaitUntilAsync(_ => (found = Get(resource, ns, name)) is not null && (predicate?.Invoke(found) ?? true), timeout, cancellationToken);
        return found!;
    }

    private static JsonObject? Copy(JsonObject? obj, KubeResource resource)
    {
        if (obj is null)
        {
            return null;
        }

        var copy = obj.DeepClone().AsObject();
        ObjectRules.Stamp(copy, resource);
        return copy;
    }

    private T Run<T>(Func<T> action)
    {
        lock (_store.Gate)
        {
            try
            {
                return action();
            }
            catch (KubeApiException e)
            {
                throw new InvalidOperationException($"{e.Code} {e.Reason}: {e.Message}", e);
            }
        }
    }
}
