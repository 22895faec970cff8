using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// One class per kind (aesthetics.md §6): brings the world in line with one object. Called with the latest cached copy,
/// never concurrently for the same key. Throwing is treated like <see cref="ReconcileResult.Backoff"/>.
/// </summary>
/// <typeparam name="T">The primary resource.</typeparam>
public interface IReconciler<in T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(T resource, CancellationToken cancellationToken);
}
