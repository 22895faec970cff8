using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Core;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// SecretStore and ClusterSecretStore readiness (pkg/controllers/secretstore/common.go validateStore, eso-flux.md §1.4):
/// build the client (failure ⇒ Ready=False/InvalidProviderConfig "unable to create client"), validate it (error ⇒
/// "unable to validate store"; unknown ⇒ Ready=True/ValidationUnknown), else Ready=True/Valid "store validated".
/// Details go to a Warning Event. Requeues at spec.refreshInterval or 5 minutes.
/// </summary>
public sealed class SecretStoreReconciler(IKubernetes client, EventRecorder events, ProviderRegistry providers, StoreResolutionOptions options)
    : IReconciler<V1SecretStore>, IReconciler<V1ClusterSecretStore>
{
    public Task<ReconcileResult> ReconcileAsync(V1SecretStore resource, CancellationToken cancellationToken) => ReconcileStoreAsync(resource, cancellationToken);

    public Task<ReconcileResult> ReconcileAsync(V1ClusterSecretStore resource, CancellationToken cancellationToken) => ReconcileStoreAsync(resource, cancellationToken);

    private async Task<ReconcileResult> ReconcileStoreAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        SecretStore store;
        try
        {
            store = SecretStore.Parse(EsoJson.ToJson(resource));
        }
        catch (SecretsException e)
        {
            await events.WarningAsync(resource, "InvalidStoreConfiguration", e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.GiveUp(e.Message);
        }

        if (store.Controller is { Length: > 0 } controller && controller != options.ControllerClass)
        {
            return ReconcileResult.Done;
        }

        var (status, reason, message, detail) = await ValidateAsync(store, cancellationToken).ConfigureAwait(false);
        if (detail is not null)
        {
            await events.WarningAsync(resource, reason, detail, cancellationToken).ConfigureAwait(false);
        }

        var previous = store.StatusConditions.FirstOrDefault(c => c.Type == "Ready");
        if (previous is null || previous.Status != status || previous.Reason != reason || previous.Message != message)
        {
            var condition = new StatusCondition("Ready", status, reason, message, previous?.Status == status ? previous.LastTransitionTime : DateTimeOffset.UtcNow);
            var patch = new V1Patch(new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition.ToJson()), ["capabilities"] = "ReadOnly" } }.ToJsonString(), V1Patch.PatchType.MergePatch);
            await (store.Kind == StoreKind.ClusterSecretStore
                ? client.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, ApiGroup.Group, ApiGroup.Version, V1ClusterSecretStore.Plural, store.Metadata.Name, cancellationToken: cancellationToken)
                : client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, ApiGroup.Group, ApiGroup.Version, store.Metadata.Namespace, V1SecretStore.Plural, store.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var interval = store.RefreshInterval > TimeSpan.Zero ? store.RefreshInterval : SecretStore.DefaultRequeueInterval;
        return status == "True" ? ReconcileResult.After(interval) : ReconcileResult.Backoff(detail ?? message);
    }

    private async Task<(string Status, string Reason, string Message, string? Detail)> ValidateAsync(SecretStore store, CancellationToken cancellationToken)
    {
        var reader = new KubeEsoReader(client);
        ISecretsProvider provider;
        try
        {
            provider = await providers.CreateAsync(new ProviderContext(store, null, reader, reader), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SecretsException or InvalidOperationException or ArgumentException)
        {
            return ("False", "InvalidProviderConfig", "unable to create client", e.Message);
        }

        await using (provider.ConfigureAwait(false))
        {
            var result = await provider.ValidateAsync(cancellationToken).ConfigureAwait(false);
            return result.Result switch
            {
                StoreValidationResult.Ready => ("True", "Valid", "store validated", null),
                StoreValidationResult.Unknown => ("True", "ValidationUnknown", "could not determine validation status", result.Message),
                _ => ("False", "InvalidProviderConfig", "unable to validate store", result.Message),
            };
        }
    }
}
