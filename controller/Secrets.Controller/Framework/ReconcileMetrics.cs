using Prometheus;

namespace Secrets.Controller.Framework;

/// <summary>Framework metrics shared by every controller: reconcile latency and outcomes, queue depth, relists.</summary>
public sealed class ReconcileMetrics(IMetricFactory factory)
{
    public Histogram Duration { get; } = factory.CreateHistogram(
        "secrets_controller_reconcile_duration_seconds", "Time spent in one reconcile, by controller and result.",
        new HistogramConfiguration
        {
            LabelNames = ["controller", "result"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });

    public Counter Total { get; } = factory.CreateCounter(
        "secrets_controller_reconcile_total", "Reconciles by controller and result (success, requeue, error, gave_up).",
        new CounterConfiguration { LabelNames = ["controller", "result"] });

    public Gauge QueueDepth { get; } = factory.CreateGauge(
        "secrets_controller_workqueue_depth", "Keys waiting in the controller's work queue.",
        new GaugeConfiguration { LabelNames = ["controller"] });

    public Gauge Leader { get; } = factory.CreateGauge(
        "secrets_controller_leader", "1 while this replica holds the leader lease.");
}
