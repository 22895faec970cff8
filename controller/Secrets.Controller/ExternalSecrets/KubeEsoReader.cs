using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// The API-server-backed implementation of the ESO library's read interfaces: credential Secrets, templateFrom
/// ConfigMaps, stores, namespace labels, and ServiceAccount tokens through TokenRequest (600 s, like ESO).
/// </summary>
public sealed class KubeEsoReader(IKubernetes client) : IKubeObjectReader, IStoreLookup, IServiceAccountTokenSource
{
    public async Task<IReadOnlyDictionary<string, byte[]>?> GetSecretDataAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var secret = await OrNull(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return secret is null ? null : new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetConfigMapDataAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var map = await OrNull(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return map is null ? null : new Dictionary<string, string>(map.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    public async Task<SecretStore?> GetStoreAsync(StoreKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        var json = kind == StoreKind.ClusterSecretStore
            ? await OrNull(() => client.CustomObjects.GetClusterCustomObjectAsync<System.Text.Json.Nodes.JsonObject>(ApiGroup.Group, ApiGroup.Version, V1ClusterSecretStore.Plural, name, cancellationToken)).ConfigureAwait(false)
            : await OrNull(() => client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.Nodes.JsonObject>(ApiGroup.Group, ApiGroup.Version, ns, V1SecretStore.Plural, name, cancellationToken)).ConfigureAwait(false);
        return json is null ? null : SecretStore.Parse(json);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetNamespaceLabelsAsync(string ns, CancellationToken cancellationToken)
    {
        var namespaceObject = await OrNull(() => client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(namespaceObject?.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        labels.TryAdd("kubernetes.io/metadata.name", ns);
        return labels;
    }

    public async Task<string> CreateTokenAsync(string ns, string serviceAccount, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [.. audiences], ExpirationSeconds = 600 } };
        var response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status.Token;
    }

    private static async Task<T?> OrNull<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
