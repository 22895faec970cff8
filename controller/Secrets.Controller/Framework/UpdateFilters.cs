using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>Which updates of a primary object deserve a reconcile.</summary>
public static class UpdateFilters
{
    /// <summary>Ignores status and metadata-only writes (sealed-secrets.md §2.4 step 9); objects without generation always pass.</summary>
    public static bool GenerationChanged(IKubernetesObject<V1ObjectMeta> old, IKubernetesObject<V1ObjectMeta> current)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(current);
        return old.Metadata.Generation is null || old.Metadata.Generation != current.Metadata.Generation;
    }
}
