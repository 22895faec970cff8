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
        where T : IKubernetesObject<V1ObjectMeta> => WithoutManagedFields(item, readOnlyMaps: false);

    /// <summary>
    /// As <see cref="WithoutManagedFields{T}(T)"/>; with <paramref name="readOnlyMaps"/> the labels and annotations become
    /// read-only <see cref="SmallDictionary"/>s (~70 bytes a map instead of ~216 for a one-entry dictionary), for the caches
    /// whose every reader is known not to modify them (SealedSecrets and produced Secrets).
    /// </summary>
    public static T WithoutManagedFields<T>(T item, bool readOnlyMaps)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Metadata?.ManagedFields = null;
        item.ApiVersion = StringPool.Shared(item.ApiVersion);
        item.Kind = StringPool.Shared(item.Kind);
        if (item.Metadata is { } metadata)
        {
            ShareRepeatedStrings(metadata, readOnlyMaps);
        }

        return item;
    }

    /// <summary>
    /// Replaces the strings of <paramref name="metadata"/> that repeat across objects by pooled instances
    /// (<see cref="StringPool"/>): namespace, label keys, short label values, annotation keys, ownerReference apiVersion and
    /// kind. Annotation values (stamps, last-applied JSON) and long label values (hashes such as ESO's created-by label) are
    /// mostly unique per object and stay as they are. The maps are copied once, into dictionaries or read-only maps.
    /// </summary>
    private static void ShareRepeatedStrings(V1ObjectMeta metadata, bool readOnlyMaps)
    {
        metadata.NamespaceProperty = StringPool.Shared(metadata.NamespaceProperty);
        metadata.Labels = Shared(metadata.Labels, SharedLabelValue, readOnlyMaps);
        metadata.Annotations = Shared(metadata.Annotations, value => value, readOnlyMaps);
        foreach (var owner in metadata.OwnerReferences ?? [])
        {
            owner.ApiVersion = StringPool.Shared(owner.ApiVersion);
            owner.Kind = StringPool.Shared(owner.Kind);
        }
    }

    private static IDictionary<string, string>? Shared(IDictionary<string, string>? map, Func<string, string> value, bool readOnly) =>
        readOnly
            ? SmallDictionary.Of(map, key => StringPool.Shared(key)!, value)
            : map?.ToDictionary(p => StringPool.Shared(p.Key)!, p => value(p.Value), StringComparer.Ordinal);

    private static string SharedLabelValue(string value) => value is { Length: <= SharedLabelValueLength } ? StringPool.Shared(value)! : value;

    /// <summary>
    /// A Secret without data, stringData and managedFields, for the caches of the Secrets a controller owns: they only
    /// route events to the owner and tell the controller's own writes apart by resourceVersion. Whoever needs the data
    /// reads the Secret from the API server (every reconciler does before it writes).
    /// </summary>
    public static V1Secret MetadataOnly(V1Secret secret) => MetadataOnly(secret, readOnlyMaps: false);

    /// <summary>As <see cref="MetadataOnly(V1Secret)"/>, with read-only maps as <see cref="WithoutManagedFields{T}(T, bool)"/>.</summary>
    public static V1Secret MetadataOnly(V1Secret secret, bool readOnlyMaps)
    {
        ArgumentNullException.ThrowIfNull(secret);
        secret.Data = null;
        secret.StringData = null;
        secret.Type = StringPool.Shared(secret.Type);
        return WithoutManagedFields(secret, readOnlyMaps);
    }
}
