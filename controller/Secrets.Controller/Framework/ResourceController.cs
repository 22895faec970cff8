using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// Wires an informer of the primary resource (plus informers of dependents) to a de-duplicating, rate-limited work queue
/// and a pool of workers that call the <see cref="IReconciler{T}"/> with the latest cached object.
/// </summary>
/// <typeparam name="T">The primary resource.</typeparam>
public sealed partial class ResourceController<T> : IController
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _informer;
    private readonly IReconciler<T> _reconciler;
    private readonly ControllerSettings _settings;
    private readonly ReconcileMetrics _metrics;
    private readonly ILogger _logger;
    private readonly List<Func<CancellationToken, Task>> _dependencies = [];
    private readonly List<Func<CancellationToken, Task>> _dependencySyncs = [];
    private WorkQueue? _queue;

    /// <param name="name">Controller name for logs and metrics (e.g. <c>sealedsecret</c>).</param>
    /// <param name="informer">The primary informer.</param>
    /// <param name="reconciler">The reconciler.</param>
    /// <param name="settings">Workers and retries.</param>
    /// <param name="metrics">Shared framework metrics.</param>
    /// <param name="logger">Structured logger; only keys and reasons are logged, never object contents.</param>
    /// <param name="shouldReconcile">Update filter (old, new); default: reconcile when <c>metadata.generation</c> changed.</param>
    public ResourceController(
        string name,
        Informer<T> informer,
        IReconciler<T> reconciler,
        ControllerSettings settings,
        ReconcileMetrics metrics,
        ILogger logger,
        Func<T, T, bool>? shouldReconcile = null)
    {
        Name = name;
        _informer = informer;
        _reconciler = reconciler;
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
        var filter = shouldReconcile ?? ((old, current) => UpdateFilters.GenerationChanged(old, current));
        informer.Subscribe(e =>
        {
            if (e.Type != WatchEventType.Modified || e.Old is null || filter(e.Old, e.Current))
            {
                // Changes seen after the initial list jump ahead of the initial list and of refresh requeues.
                _queue?.Add(ObjectKey.Of(e.Current), urgent: informer.HasSynced);
            }
        });
    }

    public string Name { get; }

    public Informer<T> Informer => _informer;

    /// <summary>
    /// Reconciles primaries when dependents change: <paramref name="map"/> names the primary keys of a dependent (e.g. its
    /// controller ownerReference). The dependent informer runs with this controller.
    /// </summary>
    public ResourceController<T> Watches<TDependent>(Informer<TDependent> dependents, Func<TDependent, IEnumerable<ObjectKey>> map)
        where TDependent : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(dependents);
        ArgumentNullException.ThrowIfNull(map);
        dependents.Subscribe(e =>
        {
            foreach (var key in map(e.Current).Concat(e.Old is null ? [] : map(e.Old)).Distinct())
            {
                Enqueue(key);
            }
        });
        _dependencies.Add(dependents.RunAsync);
        _dependencySyncs.Add(dependents.WaitForSyncAsync);
        return this;
    }

    /// <summary>Something that must be ready before the first reconcile (e.g. the key registry), awaited with the informers' sync.</summary>
    public ResourceController<T> WaitsFor(Func<CancellationToken, Task> prerequisite)
    {
        ArgumentNullException.ThrowIfNull(prerequisite);
        _dependencySyncs.Add(prerequisite);
        return this;
    }

    /// <summary>Queues a key (no-op while the controller is not running: the next start relists everything).</summary>
    public void Enqueue(ObjectKey key) => _queue?.Add(key);

    /// <summary>Queues every cached primary that matches, e.g. the failing ones after a new key appeared.</summary>
    public void EnqueueWhere(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        foreach (var item in _informer.Items.Where(predicate))
        {
            Enqueue(ObjectKey.Of(item));
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue(_settings.Backoff);
        _queue = queue;
        try
        {
            // Dependents first, so a primary's first reconcile can already rely on them.
            var informers = _dependencies.Select(run => run(cancellationToken)).Append(_informer.RunAsync(cancellationToken)).ToList();
            await Task.WhenAll(_dependencySyncs.Select(wait => wait(cancellationToken)).Append(_informer.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
            LogStarted(_logger, Name, _informer.Items.Count, _settings.Concurrency);
            var workers = Enumerable.Range(0, Math.Max(1, _settings.Concurrency)).Select(_ => Task.Run(() => WorkAsync(queue, cancellationToken), CancellationToken.None));
            await Task.WhenAll(informers.Concat(workers)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue = null;
        }
    }

    private async Task WorkAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _metrics.QueueDepth.WithLabels(Name).Set(queue.Count);
            try
            {
                await ProcessAsync(queue, key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(WorkQueue queue, ObjectKey key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            var resource = _informer.Get(key);
            if (resource is null)
            {
                if (_reconciler is IDeletionHandler deletion)
                {
                    await deletion.DeletedAsync(key, cancellationToken).ConfigureAwait(false);
                }

                queue.Forget(key);
                outcome = "deleted";
            }
            else
            {
                var result = await _reconciler.ReconcileAsync(resource, cancellationToken).ConfigureAwait(false);
                outcome = Follow(queue, key, result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // The controller never crashes because of one object (aesthetics.md §6): log, back off, retry.
            outcome = Follow(queue, key, ReconcileResult.Backoff(e.GetType().Name));
            LogReconcileCrashed(_logger, e, Name, key.ToString());
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _metrics.Duration.WithLabels(Name, outcome).Observe(seconds);
        _metrics.Total.WithLabels(Name, outcome).Inc();
    }

    private string Follow(WorkQueue queue, ObjectKey key, ReconcileResult result)
    {
        if (result.IsGiveUp)
        {
            queue.Forget(key);
            LogGaveUp(_logger, Name, key.ToString(), result.Failure);
            return "gave_up";
        }

        if (result.IsFailure)
        {
            if (_settings.MaxRetries > 0 && queue.Failures(key) >= _settings.MaxRetries)
            {
                queue.Forget(key);
                LogGaveUp(_logger, Name, key.ToString(), result.Failure);
                return "gave_up";
            }

            var delay = queue.AddRateLimited(key);
            LogRetry(_logger, Name, key.ToString(), result.Failure, delay.TotalSeconds);
            return "error";
        }

        queue.Forget(key);
        if (result.RequeueAfter is { } after)
        {
            queue.AddAfter(key, after);
            return "requeue";
        }

        return "success";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Controller} started with {Count} cached objects and {Workers} workers")]
    private static partial void LogStarted(ILogger logger, string controller, int count, int workers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller} {Key}: {Reason}; retrying in {DelaySeconds} s")]
    private static partial void LogRetry(ILogger logger, string controller, string key, string? reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller} {Key}: {Reason}; giving up until the object changes")]
    private static partial void LogGaveUp(ILogger logger, string controller, string key, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Controller} {Key}: reconcile threw")]
    private static partial void LogReconcileCrashed(ILogger logger, Exception exception, string controller, string key);
}
