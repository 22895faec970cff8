using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// PATCH by content type: RFC 7386 merge, RFC 6902 JSON patch, strategic merge approximated as merge for built-in types
/// (415 for custom resources, as the real server), and server-side apply approximated as merge with a required
/// <c>fieldManager</c> (no managedFields conflicts). Called under the store lock.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private (int Code, JsonObject Body) Patch(KubeResource resource, Route route, string contentType, JsonNode? patch, IQueryCollection query, bool dryRun)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var apply = mediaType == "application/apply-patch+yaml";
        if (apply && string.IsNullOrEmpty(query["fieldManager"]))
        {
            throw new KubeApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        if (mediaType == "application/strategic-merge-patch+json" && resource.IsCustom)
        {
            throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        if (mediaType is not ("application/merge-patch+json" or "application/json-patch+json" or "application/strategic-merge-patch+json" or "application/apply-patch+yaml"))
        {
            throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
        }

        var old = _store.Get(resource, route.Namespace ?? "", route.Name!);
        if (old is null)
        {
            if (!apply || route.Subresource is not null)
            {
                throw KubeApiException.NotFound(resource, route.Name!);
            }

            // Server-side apply creates a missing object.
            var created = patch as JsonObject ?? throw KubeApiException.BadRequest("an apply patch must be an object");
            ObjectRules.Metadata(created)["name"] = route.Name;
            return (201, Create(resource, route.Namespace, created, dryRun));
        }

        var current = Copy(old, resource)!;
        var result = mediaType == "application/json-patch+json" ? JsonPatch.Apply(current, patch) : MergePatch.Apply(current, patch);
        if (result is not JsonObject updated)
        {
            throw KubeApiException.BadRequest("the patch did not produce an object");
        }

        if (apply && ObjectRules.Text(patch?["metadata"]?["resourceVersion"]) is null)
        {
            // Apply without a resourceVersion in the body is unconditional.
            ObjectRules.Metadata(updated)["resourceVersion"] = ObjectRules.ResourceVersion(old);
        }

        ObjectRules.CheckKind(updated, resource);
        if (ObjectRules.Name(updated) != route.Name)
        {
            throw KubeApiException.BadRequest("the patch changes metadata.name, which is not allowed");
        }

        CheckPrecondition(resource, old, updated);
        return (200, CommitUpdate(resource, old, updated, statusOnly: route.Subresource == "status", dryRun));
    }
}
