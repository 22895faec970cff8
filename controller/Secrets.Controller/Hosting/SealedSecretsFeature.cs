using System.Threading.RateLimiting;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.SealedSecrets;
using Secrets.Controller.SealedSecrets.Keys;

namespace Secrets.Controller.Hosting;

/// <summary>
/// Registers the SealedSecret controller: key registry, key watcher (all replicas), key renewal and the reconciler
/// (leader only), the owned-Secret watch for drift self-heal, and the HTTP API with its rate limit.
/// </summary>
public static class SealedSecretsFeature
{
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<KeyRegistry>();
        services.AddSingleton<KeyWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyWatcher>());
        services.AddSingleton<KeyRenewal>();
        services.AddSingleton<IController>(provider => provider.GetRequiredService<KeyRenewal>());
        services.AddSingleton<SealedSecretMetrics>();
        services.AddSingleton<SealedSecretStatus>();
        services.AddSingleton<ProducedSecrets>();
        services.AddReconciler<V1Alpha1SealedSecret, SealedSecretReconciler>("sealedsecret", V1Alpha1SealedSecret.Api, WatchOwnedSecrets, compact: V1Alpha1SealedSecret.Compact);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SealedSecretsApi.VerifyRateLimit, context =>
            {
                var options = context.RequestServices.GetRequiredService<ControllerOptions>();
                // Keyed like upstream: path + X-Forwarded-For (the API server proxy adds it), else the peer address.
                var client = context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded ? forwarded : context.Connection.RemoteIpAddress?.ToString() ?? "";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitBurst,
                    TokensPerPeriod = options.RateLimit,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        SealedSecretsApi.Map(app);
    }

    /// <summary>
    /// Drift self-heal (issue 6 §5): Secrets the controller produced (label <see cref="ProducedSecrets.Selector"/>) are
    /// cached; any edit or delete that is not the controller's own write requeues the SealedSecret, which reverts it. A new
    /// key requeues every SealedSecret that is not synced.
    /// </summary>
    private static void WatchOwnedSecrets(IServiceProvider provider, ResourceController<V1Alpha1SealedSecret> controller)
    {
        var reconciler = provider.GetRequiredService<SealedSecretReconciler>();
        var produced = provider.GetRequiredService<ProducedSecrets>();
        controller.Watches(produced.Informer, secret => reconciler.IsOwnWrite(secret) ? [] : Owners(secret))
            .WaitsFor(provider.GetRequiredService<KeyWatcher>().WaitForSyncAsync);
        provider.GetRequiredService<KeyRegistry>().Changed += () => controller.EnqueueWhere(ss => !IsSynced(ss));
    }

    private static IEnumerable<ObjectKey> Owners(V1Secret secret) =>
        [new ObjectKey(secret.Metadata.NamespaceProperty, ProducedSecrets.ControllerOf(secret)?.Name ?? secret.Metadata.Name)];

    private static bool IsSynced(V1Alpha1SealedSecret resource) =>
        resource.SyncedStatus is { Status: "True" } synced && synced.ObservedGeneration == resource.Metadata.Generation;
}
