using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Core;
using Secrets.ExternalSecrets.Api;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// ClusterExternalSecret (eso-flux.md §1.6): one ExternalSecret named <c>externalSecretName</c> in every namespace that a
/// selector or <c>namespaces</c> picks, owned by the ClusterExternalSecret; ExternalSecrets in namespaces no longer
/// selected are removed. Status lists provisioned and failed namespaces; namespaces are re-scanned every refreshTime.
/// </summary>
public sealed class ClusterExternalSecretReconciler(IKubernetes client, EventRecorder events) : IReconciler<V1ClusterExternalSecret>
{
    public async Task<ReconcileResult> ReconcileAsync(V1ClusterExternalSecret resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ClusterExternalSecret ces;
        try
        {
            ces = ClusterExternalSecret.Parse(EsoJson.ToJson(resource));
        }
        catch (SecretsException e)
        {
            await events.WarningAsync(resource, "InvalidSpec", e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.GiveUp(e.Message);
        }

        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var selected = namespaces.Items
            .Where(n => ces.Selects(n.Metadata.Name, new Dictionary<string, string>(n.Metadata.Labels ?? new Dictionary<string, string>()) { ["kubernetes.io/metadata.name"] = n.Metadata.Name }))
            .Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        var failed = new JsonArray();
        var provisioned = new List<string>();
        foreach (var ns in selected)
        {
            try
            {
                await ApplyAsync(ces, resource, ns, cancellationToken).ConfigureAwait(false);
                provisioned.Add(ns);
            }
            catch (HttpOperationException e)
            {
                // JsonNode, not the generic Add<T>, which needs reflection (Native AOT, docs/controller.md).
                failed.Add((JsonNode)new JsonObject { ["namespace"] = ns, ["reason"] = $"could not create or update ExternalSecret: HTTP {(int)e.Response.StatusCode}" });
            }
        }

        foreach (var stale in ces.ProvisionedNamespaces.Except(selected))
        {
            await DeleteOwnedAsync(ces, resource, stale, cancellationToken).ConfigureAwait(false);
        }

        var ready = failed.Count == 0;
        var status = new JsonObject
        {
            ["externalSecretName"] = ces.ExternalSecretName,
            ["provisionedNamespaces"] = new JsonArray([.. provisioned.Select(n => (JsonNode?)n)]),
            ["failedNamespaces"] = failed,
            ["conditions"] = new JsonArray(new StatusCondition("Ready", ready ? "True" : "False", null, ready ? "" : "one or more namespaces failed", DateTimeOffset.UtcNow).ToJson()),
        };
        await client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, V1ClusterExternalSecret.Plural, ces.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ready ? ReconcileResult.After(ces.RefreshTime) : ReconcileResult.Backoff("one or more namespaces failed");
    }

    private async Task ApplyAsync(ClusterExternalSecret ces, V1ClusterExternalSecret owner, string ns, CancellationToken cancellationToken)
    {
        var desired = new JsonObject
        {
            ["apiVersion"] = ApiGroup.ApiVersion,
            ["kind"] = ExternalSecret.KindName,
            ["metadata"] = new JsonObject
            {
                ["name"] = ces.ExternalSecretName,
                ["namespace"] = ns,
                ["labels"] = Map(ces.ExternalSecretLabels),
                ["annotations"] = Map(ces.ExternalSecretAnnotations),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = ApiGroup.ApiVersion,
                    ["kind"] = ClusterExternalSecret.KindName,
                    ["name"] = ces.Metadata.Name,
                    ["uid"] = owner.Metadata.Uid,
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = ces.ExternalSecretSpecJson.DeepClone(),
        };
        try
        {
            var existing = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(ApiGroup.Group, ApiGroup.Version, ns, V1ExternalSecret.Plural, ces.ExternalSecretName, cancellationToken).ConfigureAwait(false);
            if (existing["spec"]?.ToJsonString() == desired["spec"]!.ToJsonString() && existing["metadata"]?["labels"]?.ToJsonString() == desired["metadata"]!["labels"]!.ToJsonString()
                && existing["metadata"]?["annotations"]?.ToJsonString() == desired["metadata"]!["annotations"]!.ToJsonString())
            {
                return;
            }

            desired["metadata"]!["resourceVersion"] = existing["metadata"]?["resourceVersion"]?.DeepClone();
            await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(desired, ApiGroup.Group, ApiGroup.Version, ns, V1ExternalSecret.Plural, ces.ExternalSecretName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(desired, ApiGroup.Group, ApiGroup.Version, ns, V1ExternalSecret.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteOwnedAsync(ClusterExternalSecret ces, V1ClusterExternalSecret owner, string ns, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(ApiGroup.Group, ApiGroup.Version, ns, V1ExternalSecret.Plural, ces.ExternalSecretName, cancellationToken).ConfigureAwait(false);
            var owned = (existing["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => o?["uid"]?.ToString() == owner.Metadata.Uid);
            if (owned)
            {
                await client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, V1ExternalSecret.Plural, ces.ExternalSecretName, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // already gone
        }
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) =>
        new(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
}
