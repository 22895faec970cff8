using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// Compactions for informers (the <c>compact</c> argument of <see cref="Informer{T}"/>): what a cache keeps of an object it
/// has just received and owns. Memory at 10k objects is issues 6 and 8's limit, and the caches were most of it.
/// </summary>
public static class CacheCompaction
{
    /// <summary>
    /// Any object without <c>metadata.managedFields</c> (server-side apply bookkeeping, often larger than the spec): no
    /// reconciler reads it, and every write goes through update, patch or create, never server-side apply. The default of
    /// <see cref="ControllerRegistration.AddReconciler"/>.
    /// </summary>
    public static T WithoutManagedFields<T>(T item)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Metadata?.ManagedFields = null;
        return item;
    }

    /// <summary>
    /// A Secret without data, stringData and managedFields, for the caches of the Secrets a controller owns: they only
    /// route events to the owner and tell the controller's own writes apart by resourceVersion. Whoever needs the data
    /// reads the Secret from the API server (every reconciler does before it writes).
    /// </summary>
    public static V1Secret MetadataOnly(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        secret.Data = null;
        secret.StringData = null;
        return WithoutManagedFields(secret);
    }
}
