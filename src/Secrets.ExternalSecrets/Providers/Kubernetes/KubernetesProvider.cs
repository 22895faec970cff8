using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers.Kubernetes;

/// <summary>
/// Secrets of another namespace or cluster (providers/v1/kubernetes/client.go, eso-flux.md §2.5). Empty property ⇒ the
/// JSON of all data; property ⇒ an exact data key, else <c>&lt;dataKey&gt;.&lt;gjson path&gt;</c>; metadataPolicy Fetch ⇒
/// {labels, annotations}. GetSecret keeps NotFound an error (ESO returns the raw error there); extract maps it to
/// "not found"; find uses label selectors (tags) or a name regexp and keys results by Secret name.
/// </summary>
internal sealed class KubernetesProvider(IKubernetes client, string remoteNamespace, bool referent) : ISecretsProvider
{
    private const string Name = "kubernetes";

    public async Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var secret = await ReadAsync(reference.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncException($"{Name}: secrets \"{reference.Key}\" not found in namespace \"{remoteNamespace}\"");
        return Extract(secret, reference);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var secret = await ReadAsync(reference.Key, cancellationToken).ConfigureAwait(false) ?? throw SecretNotFoundException.ForKey(Name, reference.Key);
        if (reference.Property is null && reference.MetadataPolicy == MetadataPolicy.None)
        {
            return (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        }

        return ProviderValues.JsonToMap(Extract(secret, reference), reference.Key);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken)
    {
        var selector = find.Tags.Count > 0 ? string.Join(',', find.Tags.Select(t => $"{t.Key}={t.Value}")) : null;
        var matches = ProviderValues.NameMatcher(find.NameRegexp);
        var list = await Call(() => client.CoreV1.ListNamespacedSecretAsync(remoteNamespace, labelSelector: selector, cancellationToken: cancellationToken), "list").ConfigureAwait(false);
        return list!.Items.Where(s => matches(s.Metadata.Name)).ToDictionary(s => s.Metadata.Name, s => DataJson(s), StringComparer.Ordinal);
    }

    public async Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken)
    {
        if (referent)
        {
            return StoreValidation.Unknown("credentials are resolved in each ExternalSecret's namespace (referent auth)");
        }

        try
        {
            await client.CoreV1.ListNamespacedSecretAsync(remoteNamespace, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreValidation.Ready;
        }
        catch (HttpOperationException e)
        {
            return StoreValidation.Error($"{Name}: cannot list secrets in namespace \"{remoteNamespace}\": HTTP {(int)e.Response.StatusCode}");
        }
    }

    private static byte[] Extract(V1Secret secret, RemoteRef reference)
    {
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        if (reference.MetadataPolicy == MetadataPolicy.Fetch)
        {
            var metadata = $"{{\"labels\":{Encoding.UTF8.GetString(ProviderValues.MapToJson(AsMap(secret.Metadata.Labels)))},\"annotations\":{Encoding.UTF8.GetString(ProviderValues.MapToJson(AsMap(secret.Metadata.Annotations)))}}}";
            return reference.Property is { } path
                ? GJson.Get(metadata, path) ?? throw new SyncException($"{Name}: property \"{path}\" does not exist in the metadata of key \"{reference.Key}\"")
                : Encoding.UTF8.GetBytes(metadata);
        }

        if (reference.Property is not { } property)
        {
            return DataJson(secret);
        }

        if (data.TryGetValue(property, out var exact))
        {
            return exact;
        }

        var dot = property.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && data.TryGetValue(property[..dot], out var value) && GJson.Get(value, property[(dot + 1)..]) is { } nested)
        {
            return nested;
        }

        throw new SyncException($"{Name}: property \"{property}\" does not exist in key \"{reference.Key}\"");
    }

    private static Dictionary<string, string> AsMap(IDictionary<string, string>? map) =>
        map is null ? [] : new Dictionary<string, string>(map, StringComparer.Ordinal);

    private static byte[] DataJson(V1Secret secret) =>
        ProviderValues.MapToJson((secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal));

    private async Task<V1Secret?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, remoteNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw new SyncException($"{Name}: reading secret \"{remoteNamespace}/{name}\" failed: HTTP {(int)e.Response.StatusCode}", e);
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string verb)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw new SyncException($"{Name}: {verb} secrets in namespace \"{remoteNamespace}\" failed: HTTP {(int)e.Response.StatusCode}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Creates Kubernetes provider clients from <c>server{url, caBundle, caProvider}</c> and exactly one of
/// <c>auth.token.bearerToken</c>, <c>auth.serviceAccount</c> (TokenRequest) or <c>authRef</c> (a kubeconfig in a Secret).
/// The controller's own service account is deliberately not used (docs/provider/kubernetes.md).
/// </summary>
public sealed class KubernetesProviderFactory : ISecretsProviderFactory
{
    public string Name => "kubernetes";

    public async Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config(Name);
        var remoteNamespace = config["remoteNamespace"].String is { Length: > 0 } ns ? ns : "default";
        KubernetesClientConfiguration settings;
        var referent = false;
        if (config["authRef"].Exists)
        {
            var kubeconfig = await context.ReadSecretRefAsync(config["authRef"], cancellationToken, defaultKey: "value").ConfigureAwait(false);
            using var reader = new StreamReader(new MemoryStream(kubeconfig));
            settings = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeConfigLoader.Parse(reader, "authRef"));
            referent = context.IsReferent(config["authRef"]);
        }
        else
        {
            var server = config["server"];
            settings = new KubernetesClientConfiguration { Host = server["url"].String is { Length: > 0 } url ? url : "https://kubernetes.default" };
            if (await context.ReadCaAsync(server, cancellationToken).ConfigureAwait(false) is { } pem)
            {
                var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
                roots.ImportFromPem(pem);
                settings.SslCaCerts = roots;
            }

            var auth = config["auth"];
            if (auth["token"]["bearerToken"].Exists)
            {
                settings.AccessToken = await context.ReadSecretRefStringAsync(auth["token"]["bearerToken"], cancellationToken).ConfigureAwait(false);
                referent = context.IsReferent(auth["token"]["bearerToken"]);
            }
            else if (auth["serviceAccount"].Exists)
            {
                settings.AccessToken = await context.ServiceAccountTokenAsync(auth["serviceAccount"], [], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw auth.Invalid("must configure token.bearerToken or serviceAccount (or use authRef); client certificates are not supported yet");
            }
        }

        return new KubernetesProvider(new k8s.Kubernetes(settings), remoteNamespace, referent);
    }
}
