using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>Create and replace (main resource and <c>/status</c>), and the shared update commit. Called under the store lock.</summary>
public sealed partial class FakeKubeApiServer
{
    private JsonObject Create(KubeResource resource, string? ns, JsonObject obj, bool dryRun)
    {
        ObjectRules.CheckKind(obj, resource);
        var metadata = ObjectRules.Metadata(obj);
        if (ObjectRules.Text(metadata["namespace"]) is { } bodyNs && ns is not null && bodyNs != ns)
        {
            throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (!string.IsNullOrEmpty(ObjectRules.ResourceVersion(obj)))
        {
            throw KubeApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        if (ObjectRules.Name(obj).Length == 0 && ObjectRules.Text(metadata["generateName"]) is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix + RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);
        }
        else if (ObjectRules.Name(obj).Length == 0)
        {
            throw KubeApiException.Invalid(resource, "", "metadata.name", "Required value: name or generateName is required");
        }

        var name = ObjectRules.Name(obj);
        if (ns is not null)
        {
            metadata["namespace"] = ns;
            if (_options.RequireNamespaces && _store.Get(KubeResource.Namespaces, "", ns) is null)
            {
                throw KubeApiException.NotFound(KubeResource.Namespaces, ns);
            }
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (_store.Get(resource, ns ?? "", name) is not null)
        {
            throw KubeApiException.AlreadyExists(resource, name);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("managedFields");
        if (resource.TracksGeneration)
        {
            metadata["generation"] = 1L;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (resource.HasStatus)
        {
            // Status is only written through /status; create drops it (real behaviour for CRs with the subresource).
            obj.Remove("status");
        }

        ObjectRules.Validate(resource, obj);
        if (resource == KubeResource.CustomResourceDefinitions)
        {
            if (!dryRun)
            {
                _catalog.Register(obj);
            }

            obj["status"] = EstablishedStatus(obj);
        }

        ObjectRules.Stamp(obj, resource);
        return dryRun ? obj : Copy(_store.Put(resource, obj, null), resource)!;
    }

    private JsonObject Replace(KubeResource resource, Route route, JsonObject replacement, bool dryRun)
    {
        ObjectRules.CheckKind(replacement, resource);
        if (ObjectRules.Name(replacement) is { Length: > 0 } bodyName && bodyName != route.Name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({route.Name})");
        }

        var old = _store.Get(resource, route.Namespace ?? "", route.Name!) ?? throw KubeApiException.NotFound(resource, route.Name!);
        CheckPrecondition(resource, old, replacement);
        return CommitUpdate(resource, old, replacement, statusOnly: route.Subresource == "status", dryRun);
    }

    /// <summary>A non-empty resourceVersion in the body is an optimistic-concurrency precondition (409 Conflict when stale).</summary>
    private static void CheckPrecondition(KubeResource resource, JsonObject old, JsonObject updated)
    {
        if (ObjectRules.ResourceVersion(updated) is { Length: > 0 } rv && rv != ObjectRules.ResourceVersion(old))
        {
            throw KubeApiException.Conflict(resource, ObjectRules.Name(old));
        }
    }

    /// <summary>
    /// Applies the subresource rules (main writes keep the old status, status writes keep everything else), server-owned
    /// metadata, validation, immutability and generation; a no-op write keeps the old resourceVersion like the real server.
    /// </summary>
    private JsonObject CommitUpdate(KubeResource resource, JsonObject old, JsonObject updated, bool statusOnly, bool dryRun = false)
    {
        JsonObject result;
        if (statusOnly)
        {
            result = old.DeepClone().AsObject();
            result["status"] = updated["status"]?.DeepClone();
            if (updated["status"] is null)
            {
                result.Remove("status");
            }
        }
        else
        {
            result = updated.DeepClone().AsObject();
            if (resource.HasStatus)
            {
                result["status"] = old["status"]?.DeepClone();
                if (old["status"] is null)
                {
                    result.Remove("status");
                }
            }
        }

        var metadata = ObjectRules.Metadata(result);
        var oldMetadata = ObjectRules.Metadata(old);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion" })
        {
            metadata[field] = oldMetadata[field]?.DeepClone();
            if (oldMetadata[field] is null)
            {
                metadata.Remove(field);
            }
        }

        ObjectRules.Validate(resource, result);
        ObjectRules.CheckImmutable(resource, old, result);
        if (resource.TracksGeneration && !statusOnly && ObjectRules.SpecChanged(old, result))
        {
            metadata["generation"] = ObjectRules.Long(oldMetadata["generation"]) + 1;
        }

        if (resource == KubeResource.CustomResourceDefinitions && !statusOnly && !dryRun)
        {
            _catalog.Register(result);
        }

        ObjectRules.Stamp(result, resource);
        if (JsonNode.DeepEquals(result, Copy(old, resource)) || dryRun)
        {
            return Copy(dryRun ? result : old, resource)!;
        }

        if (metadata["deletionTimestamp"] is not null && (metadata["finalizers"] as JsonArray ?? []).Count == 0)
        {
            // The last finalizer is gone from an object being deleted: it goes away now.
            RemoveObject(resource, result, "Background");
            return Copy(result, resource)!;
        }

        return Copy(_store.Put(resource, result, old), resource)!;
    }

    private string Now() =>
        _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private JsonObject EstablishedStatus(JsonObject crd) => new()
    {
        ["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["lastTransitionTime"] = Now() },
            new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["lastTransitionTime"] = Now() }),
        ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
        ["storedVersions"] = new JsonArray((crd["spec"]?["versions"] as JsonArray ?? [])
            .Where(v => v?["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            .Select(v => (JsonNode?)JsonValue.Create(ObjectRules.Text(v?["name"]))).ToArray()),
    };
}
