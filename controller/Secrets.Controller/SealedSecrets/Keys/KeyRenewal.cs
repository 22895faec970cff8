using k8s;
using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;

namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>
/// Leader-only key lifecycle (sealed-secrets.md §3.3): a key is generated at start when there is none or the newest is
/// older than <c>--key-cutoff-time</c>, then every <c>--key-renew-period</c> after the newest key's NotBefore. Renewal
/// adds a key; old keys keep decrypting and are never deleted.
/// </summary>
public sealed partial class KeyRenewal(
    IKubernetes client,
    KeyRegistry registry,
    KeyWatcher watcher,
    ControllerOptions options,
    ILogger<KeyRenewal> logger,
    TimeProvider? time = null) : IController
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Name => "key-renewal";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await watcher.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            if (registry.Latest is not { } latest || (options.KeyCutoffTime is { } cutoff && latest.NotBefore < cutoff))
            {
                await GenerateWithRetryAsync(cancellationToken).ConfigureAwait(false);
            }

            while (options.KeyRenewPeriod > TimeSpan.Zero)
            {
                var newest = registry.Latest?.NotBefore ?? DateTimeOffset.MinValue;
                var due = newest + options.KeyRenewPeriod - _time.GetUtcNow();
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _time, cancellationToken).ConfigureAwait(false);
                }

                if (registry.Latest?.NotBefore == newest || registry.Latest is null)
                {
                    await GenerateWithRetryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task GenerateWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await GenerateAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                var delay = ExponentialBackoff.Reconnect.Delay(failures);
                LogGenerateFailed(logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates a new key Secret now (also what <c>SIGUSR1</c> does upstream, §3.3 step 5).</summary>
    public async Task GenerateAsync(CancellationToken cancellationToken)
    {
        var generator = new KeyGenerator(options.KeySize, options.KeyTtl, options.CommonName, options.KeyPrefix, _time);
        var secret = await Task.Run(() => generator.Generate(options.ControllerNamespace), cancellationToken).ConfigureAwait(false);
        var created = await client.CoreV1.CreateNamespacedSecretAsync(secret, options.ControllerNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        registry.Upsert(created);
        watcher.UpdateReadiness();
        LogGenerated(logger, created.Metadata.Name, options.KeySize);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not store a new sealing key: {Error}; retrying in {DelaySeconds} s")]
    private static partial void LogGenerateFailed(ILogger logger, string error, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "new sealing key generated in Secret {Name} ({Bits}-bit RSA)")]
    private static partial void LogGenerated(ILogger logger, string name, int bits);
}
