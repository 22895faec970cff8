using System.Text;
using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>
/// Everything a provider factory needs: the store, the namespace of the ExternalSecret being synced (null when the
/// store itself is validated) and readers for credentials. Implements ESO's secret-ref resolution rule (§1.4).
/// </summary>
public sealed class ProviderContext(SecretStore store, string? externalSecretNamespace, IKubeObjectReader objects, IServiceAccountTokenSource? tokens = null)
{
    public SecretStore Store { get; } = store;

    public string? ExternalSecretNamespace { get; } = externalSecretNamespace;

    public IKubeObjectReader Objects { get; } = objects;

    public IServiceAccountTokenSource? Tokens { get; } = tokens;

    /// <summary>Test and private-endpoint hook: a handler for providers that speak HTTP themselves (Vault, Azure); null = default.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    internal ManifestField Config(string provider) =>
        new(Store.Providers.TryGetValue(provider, out var config) ? config : null, $"spec.provider.{provider}", $"{Store.Kind} \"{Store.Metadata.Display}\"");

    /// <summary>
    /// ESO resolvers/secret_ref.go: a SecretStore always reads its own namespace; a ClusterSecretStore honours
    /// <c>namespace</c> and otherwise uses the ExternalSecret's namespace ("referent auth").
    /// </summary>
    public string? NamespaceFor(string? selectorNamespace) => Store.Kind == StoreKind.SecretStore
        ? Store.Metadata.Namespace
        : string.IsNullOrEmpty(selectorNamespace) ? ExternalSecretNamespace : selectorNamespace;

    /// <summary>True when a selector relies on referent auth and no ExternalSecret namespace is known (store validation ⇒ Unknown).</summary>
    internal bool IsReferent(ManifestField selector) =>
        Store.Kind == StoreKind.ClusterSecretStore && string.IsNullOrEmpty(selector["namespace"].String) && ExternalSecretNamespace is null;

    /// <summary>Reads a SecretKeySelector <c>{name, namespace, key}</c> as bytes.</summary>
    internal async Task<byte[]> ReadSecretRefAsync(ManifestField selector, CancellationToken cancellationToken, string? defaultKey = null)
    {
        var name = selector["name"].Required;
        var key = selector["key"].String is { Length: > 0 } k ? k : defaultKey ?? selector["key"].Required;
        var ns = NamespaceFor(selector["namespace"].String)
            ?? throw new SyncException($"{selector.Path}: cannot resolve secret \"{name}\" without a namespace (ClusterSecretStore referent auth needs an ExternalSecret)");
        var data = await Objects.GetSecretDataAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncException($"{selector.Path}: cannot get Kubernetes secret \"{ns}/{name}\"");
        return data.TryGetValue(key, out var value) ? value : throw new SyncException($"{selector.Path}: cannot find secret data for key \"{key}\" in secret \"{ns}/{name}\"");
    }

    internal async Task<string> ReadSecretRefStringAsync(ManifestField selector, CancellationToken cancellationToken, string? defaultKey = null) =>
        Encoding.UTF8.GetString(await ReadSecretRefAsync(selector, cancellationToken, defaultKey).ConfigureAwait(false)).Trim();

    /// <summary>A ServiceAccountSelector <c>{name, namespace, audiences}</c> as a token (TokenRequest).</summary>
    internal Task<string> ServiceAccountTokenAsync(ManifestField selector, IReadOnlyList<string> defaultAudiences, CancellationToken cancellationToken)
    {
        var name = selector["name"].Required;
        var ns = NamespaceFor(selector["namespace"].String)
            ?? throw new SyncException($"{selector.Path}: cannot resolve service account \"{name}\" without a namespace");
        var audiences = selector["audiences"].Strings is { Count: > 0 } given ? given : defaultAudiences;
        return (Tokens ?? throw new SyncException($"{selector.Path}: service account tokens are not available in this context")).CreateTokenAsync(ns, name, audiences, cancellationToken);
    }

    /// <summary>caBundle (base64 PEM) or caProvider {type: Secret|ConfigMap, name, key, namespace}: PEM text, or null.</summary>
    internal async Task<string?> ReadCaAsync(ManifestField config, CancellationToken cancellationToken)
    {
        if (config["caBundle"].String is { Length: > 0 } bundle)
        {
            return Encoding.UTF8.GetString(Decoding.TryDecodeBase64(bundle, urlSafe: false) ?? throw config["caBundle"].Invalid("is not base64"));
        }

        var provider = config["caProvider"];
        if (!provider.Exists)
        {
            return null;
        }

        var name = provider["name"].Required;
        var key = provider["key"].Required;
        var ns = NamespaceFor(provider["namespace"].String) ?? throw provider.Invalid("needs a namespace");
        if (provider["type"].String == "ConfigMap")
        {
            var map = await Objects.GetConfigMapDataAsync(ns, name, cancellationToken).ConfigureAwait(false);
            return map?.GetValueOrDefault(key) ?? throw new SyncException($"{provider.Path}: cannot read key \"{key}\" of ConfigMap \"{ns}/{name}\"");
        }

        var data = await Objects.GetSecretDataAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return data?.GetValueOrDefault(key) is { } bytes ? Encoding.UTF8.GetString(bytes) : throw new SyncException($"{provider.Path}: cannot read key \"{key}\" of Secret \"{ns}/{name}\"");
    }

    internal static JsonObject? ObjectOrNull(JsonNode? node) => node as JsonObject;
}
