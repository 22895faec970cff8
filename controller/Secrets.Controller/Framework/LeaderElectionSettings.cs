namespace Secrets.Controller.Framework;

/// <summary>The coordination.k8s.io Lease that elects the replica running the controllers.</summary>
public sealed record LeaderElectionSettings
{
    public bool Enabled { get; init; } = true;

    public string Namespace { get; init; } = "default";

    public string LeaseName { get; init; } = "secrets-controller";

    /// <summary>This replica's identity in the lease (the pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
