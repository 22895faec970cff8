using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;
using Secrets.Controller.SealedSecrets;
using Secrets.Core;
using Secrets.Sops.Keys;
using Secrets.Sops.Kubernetes;

namespace Secrets.Controller.SopsSecrets;

/// <summary>
/// Decrypts a SopsSecret into the Secrets it owns (docs/gitops.md): keys from the controller's decryption Secret and the
/// one named by <c>spec.decryption.secretRef</c> (Flux's entry names, eso-flux.md §3.2) plus ambient cloud credentials;
/// the MAC is verified for <c>mac_only_encrypted</c> files. Any failure leaves existing Secrets untouched and is reported
/// through the Ready condition, a Warning event and a metric, without values. Secrets it controls but no longer
/// describes are deleted.
/// </summary>
public sealed partial class SopsSecretReconciler(
    IKubernetes client,
    EventRecorder events,
    SopsSecretStatus status,
    SopsSecretMetrics metrics,
    ControllerOptions options,
    ILogger<SopsSecretReconciler> logger,
    KeyServiceConnections? connections = null) : IReconciler<V1Alpha1SopsSecret>, IDeletionHandler
{
    /// <summary>Label on every owned Secret, naming its SopsSecret (used to find Secrets to prune).</summary>
    public const string OwnerLabel = "secrets.gitops.dev/sopssecret";

    /// <summary>An existing Secret with this annotation set to "true" may be taken over.</summary>
    public const string ManagedAnnotation = "secrets.gitops.dev/managed";

    private readonly ConcurrentDictionary<ObjectKey, string> _written = new();

    public bool IsOwnWrite(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _written.TryGetValue(ObjectKey.Of(secret), out var version) && version == secret.Metadata.ResourceVersion;
    }

    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1SopsSecret resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        metrics.Reconciles.Inc();
        List<V1Secret> desired;
        try
        {
            desired = await DecryptAsync(resource, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretsException e)
        {
            // Messages and attempts name keys (recipients, fingerprints, ARNs) and paths, never values.
            var attempts = e is NoMatchingKeyException noKey && noKey.Attempts.Count > 0 ? ": " + string.Join("; ", noKey.Attempts) : "";
            return await FailAsync(resource, "DecryptionFailed", $"decryption failed: {e.Message}{attempts}", cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return await FailAsync(resource, "DecryptionSecretNotFound", $"decryption Secret \"{resource.DecryptionSecretName}\" not found", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            foreach (var secret in desired)
            {
                if (await WriteAsync(resource, secret, cancellationToken).ConfigureAwait(false) is { } refusal)
                {
                    return await FailAsync(resource, "Unmanaged", refusal, cancellationToken).ConfigureAwait(false);
                }
            }

            await PruneAsync(resource, desired, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            return await FailAsync(resource, "UpdateFailed", $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var value in desired.SelectMany(s => s.Data?.Values ?? []))
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }

        await SetStatusAsync(resource, true, "Succeeded", $"decrypted into {desired.Count} Secret(s)", cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    public Task DeletedAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        // Owned Secrets go with their owner through garbage collection; only local state is dropped.
        status.Forget(key.Namespace, key.Name);
        return Task.CompletedTask;
    }

    private async Task<List<V1Secret>> DecryptAsync(V1Alpha1SopsSecret resource, CancellationToken cancellationToken)
    {
        var keySecrets = new List<V1Secret>();
        if (options.SopsDecryptionSecret is { Length: > 0 } global && await TryReadAsync(global, options.ControllerNamespace, cancellationToken).ConfigureAwait(false) is { } globalSecret)
        {
            keySecrets.Add(globalSecret);
        }

        if (resource.DecryptionSecretName is { } own)
        {
            keySecrets.Add(await client.CoreV1.ReadNamespacedSecretAsync(own, resource.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        using var keys = DecryptionKeys.From(keySecrets, connections);
        var decryptor = new ManifestDecryptor(new DataKeyRecovery(keys.Registry), MacCheck.WhenMacOnlyEncrypted);
        var document = resource.ToDocument();
        if (!SopsDetection.IsEncryptedDocument(document))
        {
            throw new InvalidFileException("the SopsSecret has no sops metadata with a MAC")
            {
                Hints = ["create it with 'secrets sopssecret'"],
            };
        }

        var decrypted = await decryptor.DecryptAsync(document, cancellationToken).ConfigureAwait(false);
        return [.. SopsSecretDocument.ToSecrets(decrypted).Select(s => Owned(resource, KubernetesJson.Deserialize<V1Secret>(s.ToJsonString())))];
    }

    private static V1Secret Owned(V1Alpha1SopsSecret owner, V1Secret secret)
    {
        secret.Metadata.Labels ??= new Dictionary<string, string>();
        secret.Metadata.Labels[OwnerLabel] = owner.Metadata.Name;
        secret.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true },
        ];
        return secret;
    }

    /// <summary>Creates or replaces one Secret; returns the refusal when a Secret it does not control is in the way.</summary>
    private async Task<string?> WriteAsync(V1Alpha1SopsSecret resource, V1Secret desired, CancellationToken cancellationToken)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name;
        var existing = await TryReadAsync(name, ns, cancellationToken).ConfigureAwait(false);
        V1Secret stored;
        if (existing is null)
        {
            stored = await client.CoreV1.CreateNamespacedSecretAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (!IsControlledBy(existing, resource) && !(existing.Metadata.Annotations is { } annotations && annotations.TryGetValue(ManagedAnnotation, out var managed) && managed == "true"))
        {
            return $"Secret \"{name}\" already exists and is not managed by SopsSecret \"{resource.Metadata.Name}\"";
        }
        else
        {
            desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            desired.Metadata.Finalizers = existing.Metadata.Finalizers;
            if (OwnedSecret.Hash(desired) == OwnedSecret.Hash(existing))
            {
                return null;
            }

            stored = await client.CoreV1.ReplaceNamespacedSecretAsync(desired, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _written[ObjectKey.Of(stored)] = stored.Metadata.ResourceVersion;
        LogWritten(logger, ns, name, existing is null ? "created" : "updated");
        await events.NormalAsync(resource, "Decrypted", $"Secret \"{name}\" {(existing is null ? "created" : "updated")}", cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Deletes Secrets this SopsSecret controls that its current spec no longer describes.</summary>
    private async Task PruneAsync(V1Alpha1SopsSecret resource, List<V1Secret> desired, CancellationToken cancellationToken)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var names = desired.Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var labelled = await client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: $"{OwnerLabel}={resource.Metadata.Name}", cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var stale in labelled.Items.Where(s => !names.Contains(s.Metadata.Name) && IsControlledBy(s, resource)))
        {
            await client.CoreV1.DeleteNamespacedSecretAsync(stale.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            await events.NormalAsync(resource, "Pruned", $"Secret \"{stale.Metadata.Name}\" deleted: no longer in the SopsSecret", cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsControlledBy(V1Secret secret, V1Alpha1SopsSecret owner) =>
        secret.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == owner.Metadata.Uid) == true;

    private async Task<V1Secret?> TryReadAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<ReconcileResult> FailAsync(V1Alpha1SopsSecret resource, string reason, string message, CancellationToken cancellationToken)
    {
        metrics.Errors.WithLabels(reason, resource.Metadata.NamespaceProperty ?? "").Inc();
        LogFailed(logger, resource.Metadata.NamespaceProperty, resource.Metadata.Name, reason, message);
        await events.WarningAsync(resource, reason, message, cancellationToken).ConfigureAwait(false);
        await SetStatusAsync(resource, false, reason, message, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Backoff(reason);
    }

    private async Task SetStatusAsync(V1Alpha1SopsSecret resource, bool ready, string reason, string message, CancellationToken cancellationToken)
    {
        if (!options.UpdateStatus)
        {
            return;
        }

        try
        {
            await status.SetAsync(resource, ready, reason, message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: nothing to report on.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {Namespace}/{Name} {Action} from SopsSecret")]
    private static partial void LogWritten(ILogger logger, string? @namespace, string name, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SopsSecret {Namespace}/{Name}: {Reason}: {Message}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string name, string reason, string message);
}
