using System.Globalization;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// The in-memory "etcd": raw JSON objects (never typed models, test-infra.md §2 pitfall 7), one global resourceVersion
/// counter, a bounded event log for watch resumption and the open watches. Every member must be called under <see cref="Gate"/>.
/// </summary>
internal sealed class KubeStore(int eventLogCapacity)
{
    private readonly Dictionary<string, (KubeResource Resource, JsonObject Object)> _objects = new(StringComparer.Ordinal);
    private readonly Queue<StoredEvent> _log = new();
    private readonly List<WatchSubscription> _watchers = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Lock Gate { get; } = new();

    public long ResourceVersion { get; private set; } = 1000;

    /// <summary>Events at or below this resourceVersion are gone; a watch from an older version gets 410 Expired.</summary>
    public long CompactedRevision { get; private set; } = 1000;

    public IReadOnlyCollection<StoredEvent> Log => _log;

    public List<WatchSubscription> Watchers => _watchers;

    /// <summary>Completes at the next commit (for wait-until helpers).</summary>
    public Task Changed => _changed.Task;

    public string CurrentVersionText => ResourceVersion.ToString(CultureInfo.InvariantCulture);

    public JsonObject? Get(KubeResource resource, string ns, string name) =>
        _objects.TryGetValue(Key(resource, ns, name), out var entry) ? entry.Object : null;

    /// <summary>Objects of one resource, optionally one namespace, in namespace/name order (the real server's list order).</summary>
    public List<JsonObject> List(KubeResource resource, string? ns)
    {
        var prefix = resource.StorageKey + "|" + (ns is null ? "" : ns + "|");
        return _objects
            .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Value.Object)
            .ToList();
    }

    public IEnumerable<(KubeResource Resource, JsonObject Object)> All() => _objects.Values.ToList();

    public bool UidExists(string uid) => _objects.Values.Any(e => ObjectRules.Uid(e.Object) == uid);

    /// <summary>Stores a new or changed object with the next resourceVersion and tells the watchers.</summary>
    public JsonObject Put(KubeResource resource, JsonObject obj, JsonObject? old)
    {
        var rv = ++ResourceVersion;
        ObjectRules.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var ns = ObjectRules.Namespace(obj);
        _objects[Key(resource, ns, ObjectRules.Name(obj))] = (resource, obj);
        Record(new StoredEvent(rv, resource, ns, old, obj));
        return obj;
    }

    public void Remove(KubeResource resource, JsonObject old)
    {
        var rv = ++ResourceVersion;
        var ns = ObjectRules.Namespace(old);
        _objects.Remove(Key(resource, ns, ObjectRules.Name(old)));
        Record(new StoredEvent(rv, resource, ns, old, null));
    }

    /// <summary>Forgets the whole event log, as an etcd compaction does; open watches optionally get 410 and close.</summary>
    public void Compact(bool expireWatches)
    {
        _log.Clear();
        CompactedRevision = ResourceVersion;
        if (expireWatches)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Expire($"too old resource version: compacted to {CompactedRevision}");
            }
        }
    }

    private void Record(StoredEvent change)
    {
        _log.Enqueue(change);
        while (_log.Count > eventLogCapacity)
        {
            CompactedRevision = _log.Dequeue().ResourceVersion;
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }

        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private static string Key(KubeResource resource, string ns, string name) => resource.StorageKey + "|" + ns + "|" + name;
}
