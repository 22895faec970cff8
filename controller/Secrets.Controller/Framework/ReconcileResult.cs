namespace Secrets.Controller.Framework;

/// <summary>What a reconciler wants next (aesthetics.md §6: Done, RequeueAfter(t), Backoff(reason)).</summary>
public sealed record ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter, string? failure)
    {
        RequeueAfter = requeueAfter;
        Failure = failure;
    }

    /// <summary>Nothing more to do until the object or something it depends on changes; resets the key's backoff.</summary>
    public static ReconcileResult Done { get; } = new(null, null);

    /// <summary>Reconcile again after a fixed delay (periodic refresh); resets the key's backoff.</summary>
    public TimeSpan? RequeueAfter { get; }

    /// <summary>Why the attempt failed; the key is retried with exponential backoff (1 s doubling to 5 min).</summary>
    public string? Failure { get; }

    public bool IsFailure => Failure is not null;

    public static ReconcileResult After(TimeSpan delay) => new(delay, null);

    public static ReconcileResult Backoff(string reason) => new(null, reason);

    /// <summary>A failure that retrying cannot fix (e.g. an immutable Secret): reported, not retried.</summary>
    public static ReconcileResult GiveUp(string reason) => new(TimeSpan.MaxValue, reason);

    public bool IsGiveUp => RequeueAfter == TimeSpan.MaxValue;
}
