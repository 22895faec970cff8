using Prometheus;

namespace Secrets.Controller.SealedSecrets;

/// <summary>The upstream metric names (sealed-secrets.md §5), so its alerts and Grafana dashboard keep working.</summary>
public sealed class SealedSecretMetrics
{
    public SealedSecretMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.CreateGauge("sealed_secrets_controller_build_info", "Build information.", new GaugeConfiguration { LabelNames = ["revision"] })
            .WithLabels(typeof(SealedSecretMetrics).Assembly.GetName().Version?.ToString() ?? "dev").Set(0);
        UnsealRequests = factory.CreateCounter("sealed_secrets_controller_unseal_requests_total", "Total number of sealed secret unseal requests.");
        UnsealSkipped = factory.CreateCounter(
            "secrets_controller_sealedsecret_unseal_skipped_total", "Reconciles that found the produced Secret current by its stamp and did no RSA operation.");
        UnsealErrors = factory.CreateCounter(
            "sealed_secrets_controller_unseal_errors_total", "Total number of sealed secret unseal errors by reason.",
            new CounterConfiguration { LabelNames = ["reason", "namespace"] });
        ConditionInfo = factory.CreateGauge(
            "sealed_secrets_controller_condition_info", "Current SealedSecret condition status: -1 False, 0 Unknown, 1 True.",
            new GaugeConfiguration { LabelNames = ["namespace", "name", "condition", "ss_app_kubernetes_io_instance"] });
        HttpRequests = factory.CreateCounter(
            "sealed_secrets_controller_http_requests_total", "Total number of HTTP requests by path, code and method.",
            new CounterConfiguration { LabelNames = ["path", "code", "method"] });
        HttpDuration = factory.CreateHistogram(
            "sealed_secrets_controller_http_request_duration_seconds", "HTTP request latency by path and method.",
            new HistogramConfiguration { LabelNames = ["path", "method"] });
    }

    public Counter UnsealRequests { get; }

    /// <summary>Reconciles answered from the <see cref="UnsealStamp"/> without unsealing (restart without RSA).</summary>
    public Counter UnsealSkipped { get; }

    public Counter UnsealErrors { get; }

    public Gauge ConditionInfo { get; }

    public Counter HttpRequests { get; }

    public Histogram HttpDuration { get; }
}
