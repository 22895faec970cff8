using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// List and watch for one resource type, so <see cref="Informer{T}"/> works the same for built-ins and custom resources.
/// A null namespace means all namespaces.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public interface IResourceApi<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A short name for logs and metrics (the plural, e.g. <c>sealedsecrets</c>).</summary>
    string Resource { get; }

    /// <summary>
    /// One page of a list: at most <paramref name="limit"/> items from <paramref name="continueToken"/> on; the answer's
    /// <c>Continue</c> is null on the last page. Paging keeps the largest response (and the client's peak memory) bounded.
    /// </summary>
    Task<(IList<T> Items, string ResourceVersion, string? Continue)> ListAsync(
        string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks. ERROR events (e.g. 410 Expired) only reach
    /// <paramref name="onError"/> (test-infra.md §2 pitfall 3); the stream ends after <paramref name="timeoutSeconds"/>.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string? ns, string? labelSelector, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);
}
