using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// Compactions for informers (the <c>compact</c> argument of <see cref="Informer{T}"/>): what a cache keeps of an object it
/// has just received and owns. Memory at 10k objects is issues 6 and 8's limit, and the caches were most of it.
/// </summary>
public static class CacheCompaction
{
    /// <summary>Label values up to this length are pooled: names and flags repeat, longer values are usually per-object hashes.</summary>
    private const int SharedLabelValueLength = 40;

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
        item.ApiVersion = StringPool.Shared(item.ApiVersion);
        item.Kind = StringPool.Shared(item.Kind);
        if (item.Metadata is { } metadata)
        {
            ShareRepeatedStrings(metadata);
        }

        return item;
    }

    /// <summary>
    /// Replaces the strings of <paramref name="metadata"/> that repeat across objects by pooled instances
    /// (<see cref="StringPool"/>): namespace, label keys, short label values, annotation keys, ownerReference apiVersion and
    /// kind. Annotation values (stamps, last-applied JSON) and long label values (hashes such as ESO's created-by label) are
    /// mostly unique per object and stay as they are.
    /// </summary>
    public static void ShareRepeatedStrings(V1ObjectMeta metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.NamespaceProperty = StringPool.Shared(metadata.NamespaceProperty);
        metadata.Labels = metadata.Labels?.ToDictionary(p => StringPool.Shared(p.Key)!, p => SharedLabelValue(p.Value), StringComparer.Ordinal);
        metadata.Annotations = metadata.Annotations?.ToDictionary(p => StringPool.Shared(p.Key)!, p => p.Value, StringComparer.Ordinal);
        foreach (var owner in metadata.OwnerReferences ?? [])
        {
            owner.ApiVersion = StringPool.Shared(owner.ApiVersion);
            owner.Kind = StringPool.Shared(owner.Kind);
        }
    }

    /// <summary>
    /// Makes the labels and annotations of a compacted object read-only <see cref="SmallDictionary"/>s with pooled keys and short
    /// label values, for the caches whose every reader is known not to modify them (SealedSecrets and produced Secrets: ~70
    /// bytes a map instead of ~216 for a one-entry dictionary).
    /// </summary>
    public static void ReadOnlyMaps(V1ObjectMeta metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.Labels = SmallDictionary.Of(metadata.Labels, key => StringPool.Shared(key)!, SharedLabelValue);
        metadata.Annotations = SmallDictionary.Of(metadata.Annotations, key => StringPool.Shared(key)!, value => value);
    }

    private static string SharedLabelValue(string value) => value is { Length: <= SharedLabelValueLength } ? StringPool.Shared(value)! : value;

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
        secret.Type = StringPool.Shared(secret.Type);
        return WithoutManagedFields(secret);
    }
}
