using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// Compactions for Secret informers (the <c>compact</c> argument of <see cref="Informer{T}"/>): the caches of the Secrets a
/// controller owns only route events to their owner and tell the controller's own writes apart, so they keep metadata,
/// type and immutable but neither data nor managedFields. Whoever needs a Secret's data reads it from the API server
/// (every reconciler does before it writes). At 10k produced Secrets the data was most of the cache (issues 6 and 8).
/// </summary>
public static class SecretCompaction
{
    /// <summary>The Secret without data, stringData and managedFields; reuses the informer's freshly received object.</summary>
    public static V1Secret MetadataOnly(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        secret.Data = null;
        secret.StringData = null;
        secret.Metadata?.ManagedFields = null;
        return secret;
    }
}
