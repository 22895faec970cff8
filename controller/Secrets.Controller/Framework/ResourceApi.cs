using k8s;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>The <see cref="IResourceApi{T}"/> implementations: core Secrets and any namespaced custom resource.</summary>
public static class ResourceApi
{
    public static IResourceApi<V1Secret> Secrets(IKubernetes client) => new SecretApi(client, null);

    /// <summary>Secrets narrowed server-side by a field selector too (e.g. <c>metadata.name=x</c> for one named Secret).</summary>
    public static IResourceApi<V1Secret> Secrets(IKubernetes client, string fieldSelector) => new SecretApi(client, fieldSelector);

    public static IResourceApi<T> Custom<T>(IKubernetes client, string group, string version, string plural)
        where T : IKubernetesObject<V1ObjectMeta> => new CustomObjectApi<T>(client, group, version, plural);

    private static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;

    private sealed class SecretApi(IKubernetes client, string? fieldSelector) : IResourceApi<V1Secret>
    {
        public string Resource => "secrets";

        public async Task<(IList<V1Secret> Items, string ResourceVersion, string? Continue)> ListAsync(
            string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken)
        {
            var list = ns is null
                ? await client.CoreV1.ListSecretForAllNamespacesAsync(
                    continueParameter: continueToken, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedSecretAsync(
                    ns, continueParameter: continueToken, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (list.Items, list.Metadata.ResourceVersion, NullIfEmpty(list.Metadata.ContinueProperty));
        }

        public IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(
            string? ns, string? labelSelector, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken)
        {
            return ns is null
                ? client.CoreV1.WatchListSecretForAllNamespacesAsync(
                    allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                    onError: onError, cancellationToken: cancellationToken)
                : client.CoreV1.WatchListNamespacedSecretAsync(
                    ns, allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                    onError: onError, cancellationToken: cancellationToken);
        }
    }

    private sealed class CustomObjectApi<T>(IKubernetes client, string group, string version, string plural) : IResourceApi<T>
        where T : IKubernetesObject<V1ObjectMeta>
    {
        public string Resource => plural;

        public async Task<(IList<T> Items, string ResourceVersion, string? Continue)> ListAsync(
            string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken)
        {
            var list = ns is null
                ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<CustomResourceList<T>>(
                    group, version, plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<T>>(
                    group, version, ns, plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (list.Items, list.Metadata.ResourceVersion, NullIfEmpty(list.Metadata.ContinueProperty));
        }

        public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
            string? ns, string? labelSelector, string resourceVersion, int timeoutSeconds, Action<Exception> onError,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // GenericClient has no resourceVersion on watch; the CustomObjects watch does (test-infra.md §2 pitfall 10).
            var events = ns is null
                ? client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                    group, version, plural, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
                : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                    group, version, ns, plural, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
            await foreach (var (type, raw) in events.ConfigureAwait(false))
            {
                var json = raw is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(raw);
                yield return (type, KubernetesJson.Deserialize<T>(json));
            }
        }
    }
}
