using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// Writes <c>status</c> (sealed-secrets.md §2.5): upstream's <c>Synced</c> condition (message "" on success, the error
/// otherwise) plus a kstatus-compatible <c>Ready</c> condition, and <c>observedGeneration</c>. Unlike upstream, a changed
/// error message is written too (stale errors, issue #1516); timestamps alone never cause a write.
/// </summary>
public sealed class SealedSecretStatus(IKubernetes client, SealedSecretMetrics metrics, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task SetAsync(V1Alpha1SealedSecret resource, bool synced, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var instance = resource.Metadata.Labels is { } labels && labels.TryGetValue("app.kubernetes.io/instance", out var value) ? value : "";
        metrics.ConditionInfo.WithLabels(resource.Metadata.NamespaceProperty, resource.Metadata.Name, "Synced", instance).Set(synced ? 1 : -1);

        var status = synced ? "True" : "False";
        var generation = resource.Metadata.Generation ?? 0;
        var previous = resource.SyncedStatus;
        if (previous is { Status: { } current } && current == status && previous.Message == message && previous.ObservedGeneration == generation)
        {
            return;
        }

        var now = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var transition = previous?.Status == status ? previous.LastTransitionTime ?? now : now;
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["conditions"] = new JsonArray(
                    Condition("Synced", status, reason, message, now, transition),
                    Condition("Ready", status, reason, synced ? "SealedSecret unsealed successfully" : message, now, transition)),
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            V1Alpha1SealedSecret.Group, V1Alpha1SealedSecret.Version, resource.Metadata.NamespaceProperty, V1Alpha1SealedSecret.Plural,
            resource.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the metric series of a deleted SealedSecret (upstream deletes it too).</summary>
    public void Forget(string? ns, string name)
    {
        foreach (var labels in metrics.ConditionInfo.GetAllLabelValues().Where(l => l[0] == (ns ?? "") && l[1] == name).ToList())
        {
            metrics.ConditionInfo.RemoveLabelled(labels);
        }
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string now, string transition) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastUpdateTime"] = now,
        ["lastTransitionTime"] = transition,
    };
}
