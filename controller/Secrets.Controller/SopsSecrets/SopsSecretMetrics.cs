using Prometheus;

namespace Secrets.Controller.SopsSecrets;

/// <summary>SopsSecret metrics, named like the SealedSecret ones (reconciles, errors by reason, condition gauge).</summary>
public sealed class SopsSecretMetrics(IMetricFactory factory)
{
    public Counter Reconciles { get; } = factory.CreateCounter("secrets_controller_sopssecret_reconciles_total", "Total number of SopsSecret reconciles.");

    public Counter Errors { get; } = factory.CreateCounter(
        "secrets_controller_sopssecret_errors_total", "Total number of SopsSecret reconcile errors by reason.",
        new CounterConfiguration { LabelNames = ["reason", "namespace"] });

    public Gauge ConditionInfo { get; } = factory.CreateGauge(
        "secrets_controller_sopssecret_condition_info", "Current SopsSecret Ready condition: -1 False, 1 True.",
        new GaugeConfiguration { LabelNames = ["namespace", "name", "condition"] });
}
