using k8s;
using k8s.Models;
using Secrets.Controller.Framework;

namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>
/// Keeps <see cref="KeyRegistry"/> equal to the <c>…/sealed-secrets-key=active</c> Secrets of the controller namespace
/// on every replica (leader or not: all serve <c>/v1/cert.pem</c>). Added or relabelled keys take effect at once,
/// unlike upstream's restart requirement (§3.3 step 6).
/// </summary>
public sealed class KeyWatcher : BackgroundService
{
    public const string ReadinessComponent = "keys";

    private readonly Informer<V1Secret> _informer;
    private readonly KeyRegistry _registry;
    private readonly Readiness _readiness;

    public KeyWatcher(IKubernetes client, KeyRegistry registry, Readiness readiness, Hosting.ControllerOptions options, ILogger<KeyWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _readiness = readiness;
        readiness.Require(ReadinessComponent);
        _informer = new Informer<V1Secret>(
            ResourceApi.Secrets(client),
            new InformerOptions { Namespaces = [options.ControllerNamespace], LabelSelector = KeySecrets.ActiveSelector, WatchTimeout = options.WatchTimeout },
            logger);
        _informer.Subscribe(e =>
        {
            if (e.Type == WatchEventType.Deleted)
            {
                registry.Remove(e.Current.Metadata.Name);
            }
            else
            {
                registry.Upsert(e.Current);
            }

            UpdateReadiness();
        });
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _informer.WaitForSyncAsync(cancellationToken);

    /// <summary>Ready once listed and at least one key is usable (a fresh install becomes ready when the leader made one).</summary>
    public void UpdateReadiness() => _readiness.Set(ReadinessComponent, _informer.HasSynced && _registry.Latest is not null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var run = _informer.RunAsync(stoppingToken);
        try
        {
            await _informer.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            UpdateReadiness();
        }
        catch (OperationCanceledException)
        {
        }

        await run.ConfigureAwait(false);
    }
}
