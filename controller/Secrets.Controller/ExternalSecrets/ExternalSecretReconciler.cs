using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Core;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// Reconciles one ExternalSecret (externalsecret_controller.go Reconcile, eso-flux.md §1.3): finalizer, controller-class
/// and cluster-store gates, the pure <see cref="ExternalSecretSync"/>, then the Secret write, the Events (the detailed
/// error only in the Warning Event) and a status patch when it changed. Errors back off; success requeues at the
/// refresh interval.
/// </summary>
public sealed partial class ExternalSecretReconciler(
    IKubernetes client,
    EventRecorder events,
    ProviderRegistry providers,
    StoreResolutionOptions options,
    ILogger<ExternalSecretReconciler> logger,
    ExternalSecretMetrics? metrics = null,
    TimeProvider? time = null) : IReconciler<V1ExternalSecret>
{
    public async Task<ReconcileResult> ReconcileAsync(V1ExternalSecret resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await SyncAsync(resource, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            metrics?.RecordDuration(resource.Metadata.NamespaceProperty ?? "default", resource.Metadata.Name, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<ReconcileResult> SyncAsync(V1ExternalSecret resource, CancellationToken cancellationToken)
    {
        ExternalSecret externalSecret;
        try
        {
            externalSecret = ExternalSecret.Parse(EsoJson.ToJson(resource));
        }
        catch (SecretsException e)
        {
            await events.WarningAsync(resource, EsoMetadata.EventUpdateFailed, e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.GiveUp(e.Message);
        }

        var ns = externalSecret.Metadata.Namespace ?? "default";
        var reader = new KubeEsoReader(client);
        var existing = await ReadSecretAsync(ns, ExternalSecretSync.TargetName(externalSecret), cancellationToken).ConfigureAwait(false);
        if (externalSecret.Metadata.DeletionTimestamp is not null)
        {
            return await DeleteAsync(externalSecret, existing, cancellationToken).ConfigureAwait(false);
        }

        if (!externalSecret.Metadata.Finalizers.Contains(EsoMetadata.Finalizer))
        {
            await PatchFinalizersAsync(externalSecret, [.. externalSecret.Metadata.Finalizers, EsoMetadata.Finalizer], cancellationToken).ConfigureAwait(false);
        }

        await using var source = new StoreProviderSource(ns, reader, providers, reader, options, reader);
        var references = externalSecret.Spec.Data.Select(d => d.StoreRef).Concat(externalSecret.Spec.DataFrom.Select(d => d.StoreRef)).Append(externalSecret.Spec.SecretStoreRef).OfType<StoreRef>();
        if (await source.ShouldSkipAsync(references, cancellationToken).ConfigureAwait(false))
        {
            return ReconcileResult.Done;
        }

        var outcome = await new ExternalSecretSync(reader, time).SyncAsync(externalSecret, existing, source.GetProviderAsync, cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return ReconcileResult.Backoff("conflict writing the target Secret");
        }
        catch (HttpOperationException e)
        {
            var message = $"{EsoMetadata.MessageUpdateError}: HTTP {(int)e.Response.StatusCode}";
            outcome = outcome with
            {
                Failed = true,
                EventReason = EsoMetadata.EventUpdateFailed,
                EventMessage = message,
                EventIsWarning = true,
                Status = externalSecret.Status with { Conditions = [new StatusCondition(EsoMetadata.ConditionReady, "False", EsoMetadata.ReasonSyncedError, EsoMetadata.MessageUpdateError, DateTimeOffset.UtcNow)] },
            };
        }

        if (outcome.EventReason is { } reason)
        {
            var record = outcome.EventIsWarning ? events.WarningAsync(resource, reason, outcome.EventMessage ?? "", cancellationToken) : events.NormalAsync(resource, reason, outcome.EventMessage ?? "", cancellationToken);
            await record.ConfigureAwait(false);
        }

        if (!outcome.Skipped && !Same(outcome.Status, externalSecret.Status))
        {
            await PatchStatusAsync(externalSecret, outcome.Status, cancellationToken).ConfigureAwait(false);
        }

        if (!outcome.Skipped)
        {
            metrics?.Record(ns, externalSecret.Metadata.Name, outcome.Failed, outcome.Status.Conditions);
        }

        if (outcome.Failed)
        {
            LogFailed(logger, ns, externalSecret.Metadata.Name, outcome.EventMessage ?? "");
            return outcome.Permanent ? ReconcileResult.GiveUp(outcome.EventMessage ?? "") : ReconcileResult.Backoff(outcome.EventMessage ?? "sync failed");
        }

        return outcome.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    private async Task WriteAsync(SyncOutcome outcome, CancellationToken cancellationToken)
    {
        var secret = outcome.Secret;
        switch (outcome.Write)
        {
            case SecretWrite.Create:
                await client.CoreV1.CreateNamespacedSecretAsync(EsoJson.FromJson<V1Secret>(secret!.ToJson()), secret.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case SecretWrite.Update:
                await client.CoreV1.ReplaceNamespacedSecretAsync(EsoJson.FromJson<V1Secret>(secret!.ToJson()), secret.Name, secret.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case SecretWrite.Delete:
                await client.CoreV1.DeleteNamespacedSecretAsync(secret!.Name, secret.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    // Step 1: deletionPolicy Delete removes the target only when this ExternalSecret controls it; then the finalizer goes.
    private async Task<ReconcileResult> DeleteAsync(ExternalSecret externalSecret, KubeSecret? existing, CancellationToken cancellationToken)
    {
        if (externalSecret.Spec.Target.DeletionPolicy == DeletionPolicy.Delete && existing?.Controller?.Uid is { } uid && uid == externalSecret.Metadata.Uid)
        {
            await client.CoreV1.DeleteNamespacedSecretAsync(existing.Name, existing.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (externalSecret.Metadata.Finalizers.Contains(EsoMetadata.Finalizer))
        {
            await PatchFinalizersAsync(externalSecret, [.. externalSecret.Metadata.Finalizers.Where(f => f != EsoMetadata.Finalizer)], cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.Done;
    }

    private async Task<KubeSecret?> ReadSecretAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return KubeSecret.FromJson(EsoJson.ToJson(secret));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task<object> PatchFinalizersAsync(ExternalSecret externalSecret, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode?)f)]) } };
        return client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            externalSecret.Metadata.Namespace, V1ExternalSecret.Plural, externalSecret.Metadata.Name, cancellationToken: cancellationToken);
    }

    private Task<object> PatchStatusAsync(ExternalSecret externalSecret, ExternalSecretStatus status, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["status"] = status.ToJson() };
        return client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            externalSecret.Metadata.Namespace, V1ExternalSecret.Plural, externalSecret.Metadata.Name, cancellationToken: cancellationToken);
    }

    // Status is written only when it changed (§1.3 step 10).
    private static bool Same(ExternalSecretStatus a, ExternalSecretStatus b) => a.ToJson().ToJsonString() == b.ToJson().ToJsonString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "ExternalSecret {Namespace}/{Name}: {Message}")]
    private static partial void LogFailed(ILogger logger, string @namespace, string name, string message);
}
