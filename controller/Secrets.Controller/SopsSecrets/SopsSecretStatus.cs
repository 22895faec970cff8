using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Secrets.Sops.Kubernetes;

namespace Secrets.Controller.SopsSecrets;

/// <summary>
/// Writes a kstatus-compatible <c>Ready</c> condition and <c>observedGeneration</c> (Flux's shape: reason
/// <c>Succeeded</c> or the failure, message without values). Unchanged status is not written again.
/// </summary>
public sealed class SopsSecretStatus(IKubernetes client, SopsSecretMetrics metrics, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task SetAsync(V1Alpha1SopsSecret resource, bool ready, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        metrics.ConditionInfo.WithLabels(resource.Metadata.NamespaceProperty ?? "", resource.Metadata.Name, "Ready").Set(ready ? 1 : -1);
        var status = ready ? "True" : "False";
        var generation = resource.Metadata.Generation ?? 0;
        var previous = (resource.Status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Ready");
        if (previous is not null && Text(previous["status"]) == status && Text(previous["reason"]) == reason && Text(previous["message"]) == message
            && (long?)resource.Status?["observedGeneration"] == generation)
        {
            return;
        }

        var now = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var transition = previous is not null && Text(previous["status"]) == status ? Text(previous["lastTransitionTime"]) ?? now : now;
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = status,
                    ["reason"] = reason,
                    ["message"] = message,
                    ["observedGeneration"] = generation,
                    ["lastTransitionTime"] = transition,
                }),
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            SopsSecretDocument.Group, SopsSecretDocument.Version, resource.Metadata.NamespaceProperty, SopsSecretDocument.Plural,
            resource.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public void Forget(string? ns, string name)
    {
        foreach (var labels in metrics.ConditionInfo.GetAllLabelValues().Where(l => l[0] == (ns ?? "") && l[1] == name).ToList())
        {
            metrics.ConditionInfo.RemoveLabelled(labels);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
