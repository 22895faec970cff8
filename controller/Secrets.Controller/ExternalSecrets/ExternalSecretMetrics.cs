using Prometheus;
using Secrets.ExternalSecrets.Api;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// ESO's own metric names and labels (pkg/controllers/externalsecret/esmetrics), so its dashboards and alerts keep
/// working: sync calls and errors per ExternalSecret, the last reconcile's duration, and the status condition as 1 for the current status, 0 for the other.
/// </summary>
public sealed class ExternalSecretMetrics
{
    private static readonly string[] Statuses = ["True", "False"];

    public ExternalSecretMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        SyncCalls = factory.CreateCounter("externalsecret_sync_calls_total", "Total number of the External Secret sync calls", new CounterConfiguration { LabelNames = ["name", "namespace"] });
        SyncErrors = factory.CreateCounter("externalsecret_sync_calls_error", "Total number of the External Secret sync errors", new CounterConfiguration { LabelNames = ["name", "namespace"] });
        Condition = factory.CreateGauge("externalsecret_status_condition", "The status condition of a specific External Secret", new GaugeConfiguration { LabelNames = ["name", "namespace", "condition", "status"] });
        Duration = factory.CreateGauge("externalsecret_reconcile_duration", "The duration time to reconcile the External Secret", new GaugeConfiguration { LabelNames = ["name", "namespace"] });
    }

    public Counter SyncCalls { get; }

    public Counter SyncErrors { get; }

    public Gauge Condition { get; }

    /// <summary>The last reconcile's duration in nanoseconds: ESO sets the gauge from a Go <c>time.Duration</c> (eso-flux.md §1.8).</summary>
    public Gauge Duration { get; }

    public void RecordDuration(string ns, string name, TimeSpan elapsed) => Duration.WithLabels(name, ns).Set(elapsed.Ticks * 100.0);

    public void Record(string ns, string name, bool failed, IEnumerable<StatusCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        SyncCalls.WithLabels(name, ns).Inc();
        if (failed)
        {
            SyncErrors.WithLabels(name, ns).Inc();
        }

        foreach (var condition in conditions)
        {
            foreach (var status in Statuses)
            {
                Condition.WithLabels(name, ns, condition.Type, status).Set(condition.Status == status ? 1 : 0);
            }
        }
    }
}
