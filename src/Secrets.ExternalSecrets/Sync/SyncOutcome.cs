using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>What the reconciler must write to the target Secret.</summary>
public enum SecretWrite
{
    None,
    Create,
    Update,
    Delete,
}

/// <summary>
/// The decision of one sync: the Secret write, the new status, when to requeue, and an Event (the detailed error
/// text lives only in the Warning Event, never in the condition, eso-flux.md §1.2).
/// </summary>
public sealed record SyncOutcome
{
    public SecretWrite Write { get; init; }

    /// <summary>The desired Secret for Create/Update, the existing one for Delete.</summary>
    public KubeSecret? Secret { get; init; }

    public required ExternalSecretStatus Status { get; init; }

    /// <summary>Null: no periodic requeue. Errors use the controller's backoff instead (<see cref="Failed"/>).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>True when the sync failed and the reconciler should back off and retry.</summary>
    public bool Failed { get; init; }

    /// <summary>True when retrying cannot help (immutable target changed).</summary>
    public bool Permanent { get; init; }

    public string? EventReason { get; init; }

    public string? EventMessage { get; init; }

    public bool EventIsWarning { get; init; }

    /// <summary>True when nothing had to be fetched (refresh not due and the Secret is valid).</summary>
    public bool Skipped { get; init; }
}
