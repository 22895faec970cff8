namespace Secrets.Controller.Hosting;

/// <summary>Everything the composition root reads from flags and environment (see docs/controller.md for the table).</summary>
public sealed record ControllerOptions
{
    /// <summary>Kubeconfig path; null means in-cluster config (or the default kubeconfig outside a cluster).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Namespaces whose SealedSecrets are reconciled; empty means all (upstream <c>--all-namespaces</c>).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Label selector on SealedSecrets and the Secrets they own, for sharding between controller instances.</summary>
    public string? LabelSelector { get; init; }

    public int Concurrency { get; init; } = 4;

    /// <summary>The controller's own namespace: key Secrets and the leader Lease live here.</summary>
    public string ControllerNamespace { get; init; } = "kube-system";

    public bool LeaderElect { get; init; } = true;

    public string LeaderElectionId { get; init; } = "sealed-secrets-controller";

    public string? Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Main listener (<c>/v1/*</c>, probes, metrics); upstream <c>--listen-addr</c>.</summary>
    public string ListenAddress { get; init; } = ":8080";

    /// <summary>Extra listener for <c>/metrics</c> (upstream <c>--listen-metrics-addr</c>); empty for none.</summary>
    public string MetricsAddress { get; init; } = ":8081";

    public string KeyPrefix { get; init; } = "sealed-secrets-key";

    public int KeySize { get; init; } = 4096;

    public TimeSpan KeyTtl { get; init; } = TimeSpan.FromDays(3650);

    /// <summary><c>--key-renew-period</c> (alias <c>--rotate-period</c>); zero disables renewal (§3.3 step 4).</summary>
    public TimeSpan KeyRenewPeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary><c>--key-cutoff-time</c>: a newest key older than this is replaced at startup (§3.3 step 3).</summary>
    public DateTimeOffset? KeyCutoffTime { get; init; }

    /// <summary><c>--my-cn</c>: subject CN of generated certificates; empty gives an empty DN like upstream.</summary>
    public string CommonName { get; init; } = "";

    public bool UpdateStatus { get; init; } = true;

    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>/v1/verify</c> requests per second per client (GCRA upstream; a token bucket here).</summary>
    public int RateLimit { get; init; } = 2;

    public int RateLimitBurst { get; init; } = 2;

    public int MaxUnsealRetries { get; init; }

    /// <summary><c>--enable-external-secrets</c>: run the external-secrets.io controllers (needs their CRDs installed).</summary>
    public bool EnableExternalSecrets { get; init; }

    /// <summary>
    /// <c>--controller-class</c> (ESO's flag, eso-flux.md §1.7): stores whose <c>spec.controller</c> names another class are
    /// left to the controller of that class, so two controllers can share a cluster.
    /// </summary>
    public string ControllerClass { get; init; } = "default";

    /// <summary><c>--sops-decryption-secret</c>: Flux-style key Secret in the controller namespace used for every SopsSecret.</summary>
    public string SopsDecryptionSecret { get; init; } = "sops-keys";

    /// <summary><c>--memory-trace-interval</c>: log GC and RSS figures this often (<see cref="MemoryTrace"/>); zero (default) is off.</summary>
    public TimeSpan MemoryTraceInterval { get; init; }
}
