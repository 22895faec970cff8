namespace Secrets.Controller.Framework;

/// <summary>
/// client-go's work queue semantics: a key is queued at most once however often it is added, is never handed to two
/// workers at once (an add while it is being processed re-queues it after <see cref="Done"/>), and failed keys come back
/// after the longer of an exponential per-key delay and an overall token bucket (client-go's
/// <c>DefaultControllerRateLimiter</c>: per item 1 s → 5 min here, overall 10/s with burst 100).
/// Two lanes: urgent keys (a change seen by a watch) are handed out before the rest (the initial list, refresh requeues,
/// retries), so a new object never waits behind thousands of queued refreshes (issue #8 item 6). An urgent add of a key
/// waiting in the normal lane promotes it; the stale normal copy is skipped when it comes up.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "client-go's name for this structure")]
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<ObjectKey> _queue = new();
    private readonly Queue<ObjectKey> _urgent = new();
    private readonly HashSet<ObjectKey> _inUrgent = [];
    private readonly HashSet<ObjectKey> _dirty = [];
    private readonly HashSet<ObjectKey> _processing = [];
    private readonly Dictionary<ObjectKey, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly TokenBucket _overall;

    public WorkQueue(ExponentialBackoff? backoff = null, TimeProvider? time = null, TokenBucket? overall = null)
    {
        _backoff = backoff ?? ExponentialBackoff.Reconcile;
        _time = time ?? TimeProvider.System;
        _overall = overall ?? TokenBucket.ClientGoDefault();
    }

    /// <summary>Keys waiting (not counting those being processed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + _urgent.Count;
            }
        }
    }

    public void Add(ObjectKey key) => Add(key, urgent: false);

    public void Add(ObjectKey key, bool urgent)
    {
        lock (_gate)
        {
            var waiting = !_dirty.Add(key);
            if (_processing.Contains(key) || (waiting && (!urgent || _inUrgent.Contains(key))))
            {
                return;
            }

            if (urgent)
            {
                _inUrgent.Add(key);
                _urgent.Enqueue(key);
            }
            else
            {
                _queue.Enqueue(key);
            }
        }

        _available.Release();
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed (unless the queue shuts down first).</summary>
    public void AddAfter(ObjectKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = AddLaterAsync(key, delay);
    }

    /// <summary>Adds the key after its next backoff delay or the overall limit's, whichever is longer; returns the delay.</summary>
    public TimeSpan AddRateLimited(ObjectKey key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var overall = _overall.Reserve();
        var delay = _backoff.Delay(failures);
        delay = overall > delay ? overall : delay;
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>How many consecutive failures the key has had.</summary>
    public int Failures(ObjectKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Resets the key's backoff after a success.</summary>
    public void Forget(ObjectKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for the next key and marks it as being processed; pair with <see cref="Done"/>.</summary>
    public async Task<ObjectKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_urgent.TryDequeue(out var key))
                {
                    _inUrgent.Remove(key);
                }
                else if (_inUrgent.Contains(_queue.Peek()))
                {
                    // The normal copy of a promoted key: the urgent copy is the one that counts.
                    _queue.Dequeue();
                    continue;
                }
                else
                {
                    key = _queue.Dequeue();
                }

                // A promoted key's other copy after it was handed out: gone from the dirty set, or being processed
                // (Done re-queues it when it was added again meanwhile).
                if (_processing.Contains(key) || !_dirty.Remove(key))
                {
                    continue;
                }

                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(ObjectKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        _available.Dispose();
    }

    private async Task AddLaterAsync(ObjectKey key, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _shutdown.Token).ConfigureAwait(false);
            Add(key);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: delayed keys are dropped, the next leader relists everything anyway.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
