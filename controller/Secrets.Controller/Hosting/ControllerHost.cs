using k8s;
using Prometheus;
using Secrets.Controller.Framework;

namespace Secrets.Controller.Hosting;

/// <summary>
/// The composition root as a function, so tests start exactly what <c>Program</c> starts (on loopback, against the fake
/// API server). the configure callback lets features (SealedSecrets, later SOPS and ExternalSecrets) add themselves.
/// </summary>
public static class ControllerHost
{
    public static WebApplication Build(ControllerOptions options, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);
        builder.WebHost.UseUrls([.. new[] { options.ListenAddress, options.MetricsAddress }.Where(a => a.Length > 0).Distinct().Select(ToUrl)]);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));

        var registry = Metrics.NewCustomRegistry();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IMetricFactory>(Metrics.WithCustomRegistry(registry));
        builder.Services.AddSingleton(_ => KubeClientFactory.Create(options.Kubeconfig));
        builder.Services.AddSingleton(new InformerOptions { Namespaces = options.Namespaces, LabelSelector = options.LabelSelector, WatchTimeout = options.WatchTimeout });
        builder.Services.AddSingleton(new ControllerSettings { Concurrency = options.Concurrency, MaxRetries = options.MaxUnsealRetries });
        builder.Services.AddSingleton(new LeaderElectionSettings
        {
            Enabled = options.LeaderElect,
            Namespace = options.ControllerNamespace,
            LeaseName = options.LeaderElectionId,
            Identity = options.Identity ?? new LeaderElectionSettings().Identity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        builder.Services.AddSingleton<ReconcileMetrics>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton(provider => new EventRecorder(
            provider.GetRequiredService<IKubernetes>(), "sealed-secrets", provider.GetRequiredService<ILogger<EventRecorder>>()));
        builder.Services.AddSingleton<ControllerManager>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ControllerManager>());
        builder.Services.AddHostedService<MemoryTrace>();
        configure?.Invoke(builder);
        if (options.EnableExternalSecrets)
        {
            ExternalSecretsFeature.Add(builder);
        }

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        app.MapGet("/readyz", (Readiness readiness) => readiness.IsReady
            ? Results.Text("ok\n", "text/plain; charset=utf-8")
            : Results.Text("not ready: " + string.Join(", ", readiness.Pending) + "\n", "text/plain; charset=utf-8", statusCode: 503));
        app.MapMetrics("/metrics", registry);
        map?.Invoke(app);
        return app;
    }

    /// <summary>Go listen addresses (<c>:8080</c>, <c>127.0.0.1:0</c>) as Kestrel URLs.</summary>
    internal static string ToUrl(string address) =>
        address.Contains("://", StringComparison.Ordinal) ? address
        : address.StartsWith(':') ? "http://0.0.0.0" + address
        : "http://" + address;
}
