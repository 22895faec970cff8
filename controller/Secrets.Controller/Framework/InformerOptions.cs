namespace Secrets.Controller.Framework;

/// <summary>What an <see cref="Informer{T}"/> lists and watches.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespaces to watch, one list+watch each; empty means all namespaces with one cluster-wide watch.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Server-side label selector (sharding, key Secrets).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>How long one watch request lasts before it is renewed from the last resourceVersion (test-infra.md §2 pitfall 4).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Items per list page (client-go's pager default): bounds the largest response the controller holds at once.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Backoff between failed list or watch attempts.</summary>
    public ExponentialBackoff Reconnect { get; init; } = ExponentialBackoff.Reconnect;
}
