using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>What the work queue holds: a namespace (null for cluster-scoped objects) and a name, never the object itself.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ObjectKey(resource.Metadata.NamespaceProperty, resource.Metadata.Name);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
