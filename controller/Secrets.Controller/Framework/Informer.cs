using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// A cache of one resource type kept current by list+watch: resumes from the last resourceVersion (bookmarks included),
/// relists when the server answers 410 Gone, renews each watch after <see cref="InformerOptions.WatchTimeout"/> and
/// reconnects with backoff. Subscribers get every change, including those a relist discovers.
/// An optional filter keeps only the objects the controller cares about; an object leaving the filter counts as deleted.
/// An optional compaction (client-go's transform) replaces each object by what the reconcilers read before it is cached
/// and published, so the cache does not hold fields nobody reads (Secret data, managedFields): memory is issue 6's and
/// 8's limit at 10k objects.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed partial class Informer<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceApi<T> _api;
    private readonly InformerOptions _options;
    private readonly Func<T, bool> _filter;
    private readonly Func<T, T> _compact;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, T> _cache = [];
    private readonly List<Action<InformerEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingSyncs;

    /// <param name="api">List and watch of the resource.</param>
    /// <param name="options">Namespaces, selector, timeouts.</param>
    /// <param name="logger">Logs lists and watch failures.</param>
    /// <param name="filter">Which objects to keep (seen whole, before compaction); default all.</param>
    /// <param name="compact">What the cache keeps of a kept object (a new object; the argument is not modified); default all of it.</param>
    public Informer(IResourceApi<T> api, InformerOptions options, ILogger logger, Func<T, bool>? filter = null, Func<T, T>? compact = null)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _filter = filter ?? (_ => true);
        _compact = compact ?? (item => item);
        _pendingSyncs = Math.Max(1, options.Namespaces.Count);
    }

    public string Resource => _api.Resource;

    /// <summary>True once every namespace has been listed once.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>How many times a watch had to relist (410 Gone) — for tests and metrics.</summary>
    public int Relists { get; private set; }

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _cache.Values];
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return _cache.GetValueOrDefault(key);
        }
    }

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>. Handlers run on the watch loop and must be quick (enqueue only).</summary>
    public void Subscribe(Action<InformerEvent<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers.Add(handler);
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled: one list+watch loop per namespace (or one for all namespaces).</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string?> scopes = _options.Namespaces.Count == 0 ? [null] : [.. _options.Namespaces];
        return Task.WhenAll(scopes.Select(ns => Task.Run(() => RunScopeAsync(ns, cancellationToken), CancellationToken.None)));
    }

    private async Task RunScopeAsync(string? ns, CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        var synced = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(ns, cancellationToken).ConfigureAwait(false);
                    if (!synced)
                    {
                        synced = true;
                        MarkSynced();
                    }
                }

                var expired = false;
                var events = 0;
                var started = DateTimeOffset.UtcNow;
                var timeout = (int)Math.Max(1, _options.WatchTimeout.TotalSeconds);
                await foreach (var (type, obj) in _api.WatchAsync(ns, _options.LabelSelector, resourceVersion, timeout, e => expired |= OnWatchError(e), cancellationToken).ConfigureAwait(false))
                {
                    events++;
                    failures = 0;
                    resourceVersion = obj.Metadata?.ResourceVersion ?? resourceVersion;
                    if (type != WatchEventType.Bookmark)
                    {
                        Apply(type, obj);
                    }
                }

                if (expired)
                {
                    LogRelist(_logger, _api.Resource, ns ?? "*", resourceVersion);
                    Relists++;
                    resourceVersion = null;
                }
                else if (events == 0 && DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(1))
                {
                    // A watch that ends at once without a word (dropped connection) must not become a hot loop.
                    await Task.Delay(_options.Reconnect.Delay(++failures), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or KubernetesException or TaskCanceledException or System.Text.Json.JsonException)
            {
                if (e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone } or KubernetesException { Status.Code: 410 })
                {
                    resourceVersion = null;
                }

                var delay = _options.Reconnect.Delay(++failures);
                LogWatchFailed(_logger, _api.Resource, ns ?? "*", delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private bool OnWatchError(Exception e)
    {
        if (e is KubernetesException { Status.Code: 410 })
        {
            return true;
        }

        LogWatchError(_logger, _api.Resource, e.Message);
        return false;
    }

    private void MarkSynced()
    {
        if (Interlocked.Decrement(ref _pendingSyncs) == 0)
        {
            _synced.TrySetResult();
        }
    }

    /// <summary>
    /// Lists one scope page by page (client-go's pager size), merging each page into the cache as it arrives so no response
    /// holds the whole collection; objects the list no longer has are removed at the end (a relist may reveal missed
    /// deletes). Returns the list's resourceVersion, only once every page is in.
    /// </summary>
    private async Task<string> ListAsync(string? ns, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var seen = new HashSet<ObjectKey>();
        var count = 0;
        string? next = null;
        string version;
        do
        {
            var (items, listVersion, token) = await _api.ListAsync(ns, _options.LabelSelector, next, _options.PageSize, cancellationToken).ConfigureAwait(false);
            Merge(items, seen);
            count += items.Count;
            version = listVersion;
            next = token;
        }
        while (next is not null);

        RemoveUnseen(ns, seen);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        LogListed(_logger, _api.Resource, ns ?? "*", count, seen.Count, elapsed.TotalMilliseconds);
        return version;
    }

    private void Merge(IList<T> items, HashSet<ObjectKey> seen)
    {
        var events = new List<InformerEvent<T>>();
        lock (_gate)
        {
            foreach (var item in items.Where(_filter).Select(_compact))
            {
                var key = ObjectKey.Of(item);
                seen.Add(key);
                if (!_cache.TryGetValue(key, out var old))
                {
                    events.Add(new InformerEvent<T>(WatchEventType.Added, default, item));
                }
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    events.Add(new InformerEvent<T>(WatchEventType.Modified, old, item));
                }

                _cache[key] = item;
            }
        }

        Publish(events);
    }

    private void RemoveUnseen(string? ns, HashSet<ObjectKey> seen)
    {
        var events = new List<InformerEvent<T>>();
        lock (_gate)
        {
            foreach (var (key, old) in _cache.Where(p => (ns is null || p.Key.Namespace == ns) && !seen.Contains(p.Key)).ToList())
            {
                _cache.Remove(key);
                events.Add(new InformerEvent<T>(WatchEventType.Deleted, old, old));
            }
        }

        Publish(events);
    }

    private void Apply(WatchEventType type, T received)
    {
        var key = ObjectKey.Of(received);
        var kept = type != WatchEventType.Deleted && _filter(received);
        var obj = _compact(received);
        InformerEvent<T>? change;
        lock (_gate)
        {
            var had = _cache.TryGetValue(key, out var old);
            if (!kept)
            {
                change = had && _cache.Remove(key) ? new InformerEvent<T>(WatchEventType.Deleted, old, type == WatchEventType.Deleted ? obj : old!) : null;
            }
            else
            {
                _cache[key] = obj;
                change = new InformerEvent<T>(had ? WatchEventType.Modified : WatchEventType.Added, old, obj);
            }
        }

        if (change is not null)
        {
            Publish([change]);
        }
    }

    private void Publish(List<InformerEvent<T>> events)
    {
        Action<InformerEvent<T>>[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }

        foreach (var change in events)
        {
            foreach (var handler in handlers)
            {
                handler(change);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "listed {Count} {Resource} in {Namespace} ({Cached} cached) in {ElapsedMs} ms")]
    private static partial void LogListed(ILogger logger, string resource, string @namespace, int count, int cached, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Resource} in {Namespace} expired at resourceVersion {ResourceVersion}; relisting")]
    private static partial void LogRelist(ILogger logger, string resource, string @namespace, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "list/watch of {Resource} in {Namespace} failed; retrying in {DelayMs} ms: {Error}")]
    private static partial void LogWatchFailed(ILogger logger, string resource, string @namespace, double delayMs, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch of {Resource} reported: {Error}")]
    private static partial void LogWatchError(ILogger logger, string resource, string error);
}
