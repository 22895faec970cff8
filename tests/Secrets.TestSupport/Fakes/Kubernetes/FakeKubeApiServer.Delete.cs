using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// Delete with preconditions and finalizers, delete-collection, and a synchronous stand-in for kube-controller-manager's
/// garbage collector: dependents whose owners are all gone are deleted (Background/Foreground) or orphaned (Orphan).
/// Called under the store lock.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private JsonObject DeleteRequest(KubeResource resource, Route route, JsonObject? options, IQueryCollection query, bool dryRun)
    {
        var obj = _store.Get(resource, route.Namespace ?? "", route.Name!) ?? throw KubeApiException.NotFound(resource, route.Name!);
        if (options?["preconditions"] is JsonObject preconditions)
        {
            if (ObjectRules.Text(preconditions["uid"]) is { } uid && uid != ObjectRules.Uid(obj))
            {
                throw KubeApiException.Conflict(resource, route.Name!, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectRules.Uid(obj)}");
            }

            if (ObjectRules.Text(preconditions["resourceVersion"]) is { } rv && rv != ObjectRules.ResourceVersion(obj))
            {
                throw KubeApiException.Conflict(resource, route.Name!, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectRules.ResourceVersion(obj)}");
            }
        }

        var propagation = ObjectRules.Text(options?["propagationPolicy"]) ?? query["propagationPolicy"].FirstOrDefault() ?? "Background";
        if (propagation is not ("Background" or "Foreground" or "Orphan"))
        {
            throw KubeApiException.BadRequest($"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{propagation}\"");
        }

        if (dryRun)
        {
            return Copy(obj, resource)!;
        }

        var (final, pending) = DeleteObject(resource, obj, propagation);
        if (pending || resource.IsCustom)
        {
            return Copy(final, resource)!;
        }

        var details = new JsonObject { ["name"] = ObjectRules.Name(obj), ["kind"] = resource.Plural, ["uid"] = ObjectRules.Uid(obj) };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        return KubeApiException.Status(200, "", "", details);
    }

    private JsonObject DeleteCollection(KubeResource resource, string? ns, IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], resource);
        var doomed = _store.List(resource, ns).Where(o => labels.Matches(o) && fields.Matches(o)).ToList();
        var items = new JsonArray();
        foreach (var obj in doomed)
        {
            items.Add(Copy(DeleteObject(resource, obj, "Background").Final, resource));
        }

        return new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.CurrentVersionText },
            ["items"] = items,
        };
    }

    /// <summary>Marks the object for deletion when it has finalizers, otherwise removes it and collects its dependents.</summary>
    private (JsonObject Final, bool Pending) DeleteObject(KubeResource resource, JsonObject obj, string propagation)
    {
        if ((obj["metadata"]?["finalizers"] as JsonArray ?? []).Count > 0)
        {
            if (obj["metadata"]?["deletionTimestamp"] is not null)
            {
                return (obj, true);
            }

            var marked = obj.DeepClone().AsObject();
            ObjectRules.Metadata(marked)["deletionTimestamp"] = Now();
            ObjectRules.Metadata(marked)["deletionGracePeriodSeconds"] = 0L;
            return (_store.Put(resource, marked, obj), true);
        }

        RemoveObject(resource, obj, propagation);
        return (obj, false);
    }

    private void RemoveObject(KubeResource resource, JsonObject obj, string propagation)
    {
        _store.Remove(resource, obj);
        if (resource == KubeResource.CustomResourceDefinitions)
        {
            // Deleting a CRD deletes its custom resources and stops serving them.
            var served = _catalog.All.FirstOrDefault(r => r.IsCustom && r.Group == ObjectRules.Text(obj["spec"]?["group"]) && r.Plural == ObjectRules.Text(obj["spec"]?["names"]?["plural"]));
            if (served is not null)
            {
                foreach (var cr in _store.List(served, null))
                {
                    RemoveObject(served, cr, propagation);
                }
            }

            _catalog.Unregister(obj);
        }

        if (resource == KubeResource.Namespaces)
        {
            foreach (var (r, member) in _store.All().Where(e => e.Resource.Namespaced && ObjectRules.Namespace(e.Object) == ObjectRules.Name(obj)))
            {
                DeleteObject(r, member, propagation);
            }
        }

        if (ObjectRules.Uid(obj) is { } uid)
        {
            CollectDependents(uid, propagation);
        }
    }

    /// <summary>
    /// ownerReference garbage collection, synchronously: a dependent of the removed owner loses that reference (and any
    /// other dangling one); with no live owner left it is deleted, unless the policy is Orphan.
    /// </summary>
    private void CollectDependents(string ownerUid, string propagation)
    {
        foreach (var (resource, dependent) in _store.All())
        {
            if (dependent["metadata"]?["ownerReferences"] is not JsonArray references
                || !references.Any(r => ObjectRules.Text(r?["uid"]) == ownerUid))
            {
                continue;
            }

            var current = _store.Get(resource, ObjectRules.Namespace(dependent), ObjectRules.Name(dependent));
            if (current is null)
            {
                continue;
            }

            var alive = references.Where(r => ObjectRules.Text(r?["uid"]) is { } uid && uid != ownerUid && _store.UidExists(uid)).ToList();
            if (alive.Count == 0 && propagation != "Orphan")
            {
                DeleteObject(resource, current, "Background");
                continue;
            }

            var updated = current.DeepClone().AsObject();
            var metadata = ObjectRules.Metadata(updated);
            var kept = references.Where(r => ObjectRules.Text(r?["uid"]) != ownerUid).Select(r => r!.DeepClone()).ToArray();
            if (kept.Length == 0)
            {
                metadata.Remove("ownerReferences");
            }
            else
            {
                metadata["ownerReferences"] = new JsonArray(kept);
            }

            _store.Put(resource, updated, current);
        }
    }
}
