namespace Secrets.Controller.Framework;

/// <summary>How a <see cref="ResourceController{T}"/> processes its queue.</summary>
public sealed record ControllerSettings
{
    /// <summary>Workers reconciling different keys in parallel.</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>Retry backoff per key.</summary>
    public ExponentialBackoff Backoff { get; init; } = ExponentialBackoff.Reconcile;

    /// <summary>Failures after which a key is dropped until it changes again; 0 retries forever (capped backoff).</summary>
    public int MaxRetries { get; init; }
}
