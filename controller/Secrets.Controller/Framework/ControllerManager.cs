using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Secrets.Controller.Framework;

/// <summary>
/// Runs every registered <see cref="IController"/> while this replica leads (or always, without leader election).
/// Losing the lease stops the controllers and re-enters the election; host shutdown cancels everything gracefully.
/// </summary>
public sealed partial class ControllerManager(
    IKubernetes client,
    IEnumerable<IController> controllers,
    LeaderElectionSettings election,
    ReconcileMetrics metrics,
    ILogger<ControllerManager> logger) : BackgroundService
{
    private readonly IReadOnlyList<IController> _controllers = [.. controllers];
    private volatile bool _leading;

    /// <summary>True while the controllers run on this replica.</summary>
    public bool IsLeader => _leading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!election.Enabled)
        {
            await LeadAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await ElectAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ElectAsync(CancellationToken stoppingToken)
    {
        var leaseLock = new LeaseLock(client, election.Namespace, election.LeaseName, election.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        });
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task running = Task.CompletedTask;
        var led = false;
        elector.OnStartedLeading += () =>
        {
            led = true;
            running = LeadAsync(leading.Token);
        };
        elector.OnStoppedLeading += leading.Cancel;
        elector.OnError += e => LogElectionError(logger, e.Message);
        try
        {
            await elector.RunUntilLeadershipLostAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await leading.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
            if (led && stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync(leaseLock).ConfigureAwait(false);
            }
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            LogLostLease(logger, election.Identity);
            await Task.Delay(election.RetryPeriod, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// client-go's <c>ReleaseOnCancel</c>, which KubernetesClient's elector lacks: on graceful shutdown, once the controllers
    /// have stopped, the leader empties the Lease holder so a successor (the new pod of a rollout) acquires it at once
    /// instead of waiting out <c>--lease-duration</c>. Best effort: a failure leaves the Lease to expire as before.
    /// </summary>
    private async Task ReleaseAsync(LeaseLock leaseLock)
    {
        try
        {
            using var timeout = new CancellationTokenSource(election.RenewDeadline);
            var record = await leaseLock.GetAsync(timeout.Token).ConfigureAwait(false);
            if (record?.HolderIdentity != election.Identity)
            {
                return;
            }

            var now = DateTime.UtcNow;
            var released = new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = record.LeaderTransitions,
            };
            if (await leaseLock.UpdateAsync(released, timeout.Token).ConfigureAwait(false))
            {
                LogReleased(logger, election.Identity);
            }
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogElectionError(logger, "releasing the lease failed: " + e.Message);
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _leading = true;
        metrics.Leader.Set(1);
        LogLeading(logger, election.Identity, _controllers.Count);
        try
        {
            await Task.WhenAll(_controllers.Select(c => Task.Run(() => RunGuardedAsync(c, cancellationToken), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            _leading = false;
            metrics.Leader.Set(0);
        }
    }

    /// <summary>A controller that fails is logged and restarted after a pause, never taking the host down.</summary>
    private async Task RunGuardedAsync(IController controller, CancellationToken cancellationToken)
    {
        for (var failures = 1; !cancellationToken.IsCancellationRequested; failures++)
        {
            try
            {
                await controller.RunAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogControllerFailed(logger, e, controller.Name);
                try
                {
                    await Task.Delay(ExponentialBackoff.Reconnect.Delay(failures), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "controller {Controller} failed; restarting")]
    private static partial void LogControllerFailed(ILogger logger, Exception exception, string controller);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} leads: starting {Count} controllers")]
    private static partial void LogLeading(ILogger logger, string identity, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost the leader lease: controllers stopped, re-entering election")]
    private static partial void LogLostLease(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released the leader lease on shutdown")]
    private static partial void LogReleased(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "leader election: {Error}")]
    private static partial void LogElectionError(ILogger logger, string error);
}
