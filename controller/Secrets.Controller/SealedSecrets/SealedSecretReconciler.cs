using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.Core;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// Unseals a SealedSecret into the Secret it owns (sealed-secrets.md §2.2, §2.4): all-or-nothing unseal with every key,
/// ownership rules, replace or patch, write only when the content hash differs, status and Events. A failed unseal
/// never touches the existing Secret. A Secret whose <see cref="UnsealStamp"/> still matches is left alone without any RSA
/// operation (restarts, relists, resyncs).
/// </summary>
public sealed partial class SealedSecretReconciler(
    IKubernetes client,
    KeyRegistry keys,
    EventRecorder events,
    SealedSecretStatus status,
    SealedSecretMetrics metrics,
    ProducedSecrets produced,
    ControllerOptions options,
    ILogger<SealedSecretReconciler> logger) : IReconciler<V1Alpha1SealedSecret>, IDeletionHandler
{
    private readonly ConcurrentDictionary<ObjectKey, string> _written = new();

    /// <summary>True when the watch event is the echo of this controller's own write (no reconcile needed).</summary>
    public bool IsOwnWrite(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _written.TryGetValue(ObjectKey.Of(secret), out var version) && version == secret.Metadata.ResourceVersion;
    }

    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1SealedSecret resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var inputs = UnsealStamp.Inputs(resource);
        if (produced.Informer.Get(ObjectKey.Of(resource)) is { } current && OwnedSecret.MayWrite(current, resource) && UnsealStamp.Verify(current, inputs, keys))
        {
            metrics.UnsealSkipped.Inc();
            await SetStatusAsync(resource, true, "Unsealed", "", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (resource.CachedInputs is not null)
        {
            // The cache holds no spec (V1Alpha1SealedSecret.Compact): unseal what the API server has now.
            if (await ReadAsync(resource, cancellationToken).ConfigureAwait(false) is not { } whole)
            {
                return ReconcileResult.Done;
            }

            resource = whole;
            inputs = UnsealStamp.Inputs(resource);
        }

        metrics.UnsealRequests.Inc();
        V1Secret desired;
        var keySet = keys.Keys;
        try
        {
            var unsealed = keySet.Unseal(resource.ToSealedSecret(), cancellationToken);
            try
            {
                desired = OwnedSecret.Desired(resource, unsealed);
            }
            finally
            {
                unsealed.Clear();
            }
        }
        catch (SecretsException e)
        {
            // Messages name items and keys' fingerprints, never values (§1.5 step 5).
            return await FailAsync(resource, "unseal", "ErrUnsealFailed", $"Failed to unseal: {e.Message}", e.Message, "UnsealFailed", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var written = await WriteAsync(resource, desired, secret => UnsealStamp.Create(inputs, keySet.Fingerprints, secret, keys), cancellationToken).ConfigureAwait(false);
            if (written is { } message)
            {
                return await FailAsync(resource, "unmanaged", "ErrUpdateFailed", message, "failed update: " + message, "Unmanaged", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.UnprocessableEntity && e.Response.Content.Contains("immutable", StringComparison.Ordinal))
        {
            var message = $"Secret \"{resource.Metadata.Name}\" is immutable and cannot be updated; delete it and the controller recreates it";
            await FailAsync(resource, "update", "ErrUpdateFailed", message, message, "Immutable", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.GiveUp(message);
        }
        catch (HttpOperationException e)
        {
            var message = $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}: {e.Message}";
            return await FailAsync(resource, "update", "ErrUpdateFailed", message, message, "UpdateFailed", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var value in desired.Data?.Values ?? [])
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
            }
        }

        await SetStatusAsync(resource, true, "Unsealed", "", cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    public Task DeletedAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        // The Secret goes with its owner through Kubernetes garbage collection (§2.2); only local state is dropped.
        status.Forget(key.Namespace, key.Name);
        _written.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>The SealedSecret as the API server has it, or null when it is gone (its delete event follows).</summary>
    private async Task<V1Alpha1SealedSecret?> ReadAsync(V1Alpha1SealedSecret resource, CancellationToken cancellationToken)
    {
        try
        {
            var live = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                V1Alpha1SealedSecret.Group, V1Alpha1SealedSecret.Version, resource.Metadata.NamespaceProperty, V1Alpha1SealedSecret.Plural,
                resource.Metadata.Name, cancellationToken).ConfigureAwait(false);
            return KubernetesJson.Deserialize<V1Alpha1SealedSecret>(live is System.Text.Json.JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(live));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> OwnerStillExistsAsync(V1Alpha1SealedSecret resource, CancellationToken cancellationToken)
    {
        try
        {
            var live = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                V1Alpha1SealedSecret.Group, V1Alpha1SealedSecret.Version, resource.Metadata.NamespaceProperty, V1Alpha1SealedSecret.Plural,
                resource.Metadata.Name, cancellationToken).ConfigureAwait(false);
            return live is not System.Text.Json.JsonElement element
                || !element.TryGetProperty("metadata", out var metadata)
                || !metadata.TryGetProperty("uid", out var uid)
                || resource.Metadata.Uid is null
                || uid.GetString() == resource.Metadata.Uid;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Creates or updates the Secret; returns the refusal message when an unowned Secret is in the way.</summary>
    private async Task<string?> WriteAsync(V1Alpha1SealedSecret resource, V1Secret desired, Func<V1Secret, string?> stamp, CancellationToken cancellationToken)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var name = resource.Metadata.Name;
        V1Secret? existing;
        try
        {
            existing = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            existing = null;
        }

        V1Secret stored;
        if (existing is null)
        {
            // The Secret may be missing because the SealedSecret was just deleted and the garbage collector removed
            // it while our cache still holds the owner: never recreate a Secret for an owner that is gone.
            if (!await OwnerStillExistsAsync(resource, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            Stamp(desired, stamp);
            stored = await client.CoreV1.CreateNamespacedSecretAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (!OwnedSecret.MayWrite(existing, resource))
        {
            return $"Resource \"{name}\" already exists and is not managed by SealedSecret";
        }
        else
        {
            var merged = OwnedSecret.Merge(existing, desired);
            Stamp(merged, stamp);
            if (OwnedSecret.Hash(merged) == OwnedSecret.Hash(existing) && StampOf(merged) == StampOf(existing))
            {
                return null;
            }

            stored = await client.CoreV1.ReplaceNamespacedSecretAsync(merged, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _written[ObjectKey.Of(stored)] = stored.Metadata.ResourceVersion;
        LogWritten(logger, ns, name, existing is null ? "created" : "updated");
        await events.NormalAsync(resource, "Unsealed", "SealedSecret unsealed successfully", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static void Stamp(V1Secret secret, Func<V1Secret, string?> stamp)
    {
        var annotations = secret.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        annotations.Remove(UnsealStamp.Annotation);
        if (stamp(secret) is { } value)
        {
            annotations[UnsealStamp.Annotation] = value;
        }
    }

    private static string? StampOf(V1Secret secret) => SealedSecretAnnotations.Get(secret.Metadata.Annotations, UnsealStamp.Annotation);

    private async Task<ReconcileResult> FailAsync(
        V1Alpha1SealedSecret resource, string metricReason, string eventReason, string eventMessage, string statusMessage, string conditionReason,
        CancellationToken cancellationToken)
    {
        metrics.UnsealErrors.WithLabels(metricReason, resource.Metadata.NamespaceProperty ?? "").Inc();
        LogFailed(logger, resource.Metadata.NamespaceProperty, resource.Metadata.Name, eventReason, eventMessage);
        await events.WarningAsync(resource, eventReason, eventMessage, cancellationToken).ConfigureAwait(false);
        await SetStatusAsync(resource, false, conditionReason, statusMessage, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Backoff(eventReason);
    }

    private async Task SetStatusAsync(V1Alpha1SealedSecret resource, bool synced, string reason, string message, CancellationToken cancellationToken)
    {
        if (!options.UpdateStatus)
        {
            return;
        }

        try
        {
            await status.SetAsync(resource, synced, reason, message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode != HttpStatusCode.NotFound)
        {
            metrics.UnsealErrors.WithLabels("status", resource.Metadata.NamespaceProperty ?? "").Inc();
            throw;
        }
        catch (HttpOperationException)
        {
            // Deleted meanwhile (upstream issue #606 noise): nothing to report on.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {Namespace}/{Name} {Action}")]
    private static partial void LogWritten(ILogger logger, string? @namespace, string name, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SealedSecret {Namespace}/{Name}: {Reason}: {Message}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string name, string reason, string message);
}
