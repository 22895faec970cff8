using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;
using Secrets.ExternalSecrets.Templating;

namespace Secrets.ExternalSecrets.Providers.Vault;

/// <summary>
/// HashiCorp Vault / OpenBao KV v1 and v2 (providers/v1/vault, eso-flux.md §2.4): property looks up the top-level key
/// first, then gjson over Go's json.Marshal of the data; metadataPolicy Fetch reads custom_metadata (v2); find walks
/// LIST recursively under the mount.
/// </summary>
internal sealed class VaultProvider(VaultClient client, string? mount, bool v2, VaultAuthentication.Token token) : ISecretsProvider
{
    private const string Name = "vault";

    public async Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var data = reference.MetadataPolicy == MetadataPolicy.Fetch
            ? await ReadMetadataAsync(reference.Key, cancellationToken).ConfigureAwait(false)
            : await ReadDataAsync(reference.Key, reference.Version, cancellationToken).ConfigureAwait(false);
        if (reference.Property is not { } property)
        {
            return Encoding.UTF8.GetBytes(Marshal(data));
        }

        if (data.TryGetPropertyValue(property, out var top))
        {
            return ByteValue(top);
        }

        return GJson.Get(Marshal(data), property) ?? throw new SyncException($"vault: cannot find secret data for key: \"{property}\"");
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var data = await ReadDataAsync(reference.Key, reference.Version, cancellationToken).ConfigureAwait(false);
        if (reference.Property is { } property)
        {
            var nested = GJson.Get(Marshal(data), property) ?? throw new SyncException($"vault: cannot find secret data for key: \"{property}\"");
            return ProviderValues.JsonToMap(nested, reference.Key);
        }

        return data.ToDictionary(kv => kv.Key, kv => ByteValue(kv.Value), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken)
    {
        if (mount is null)
        {
            throw new SyncException("vault: dataFrom.find needs spec.provider.vault.path (the KV mount)");
        }

        if (find.Tags.Count > 0 && !v2)
        {
            throw new SyncException("vault: find by tags needs KV v2 (custom_metadata)");
        }

        var matches = ProviderValues.NameMatcher(find.NameRegexp);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in await ListAsync(find.Path?.Trim('/') ?? "", cancellationToken).ConfigureAwait(false))
        {
            if (!matches(path))
            {
                continue;
            }

            if (find.Tags.Count > 0)
            {
                var metadata = await client.ReadAsync(VaultPaths.Metadata(mount, v2, path), cancellationToken).ConfigureAwait(false);
                var custom = metadata?["data"]?["custom_metadata"] as JsonObject;
                if (!find.Tags.All(t => custom?[t.Key]?.ToString() == t.Value))
                {
                    continue;
                }
            }

            result[path] = Encoding.UTF8.GetBytes(Marshal(await ReadDataAsync(path, null, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }

    public async Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.ReadAsync("auth/token/lookup-self", cancellationToken).ConfigureAwait(false);
            return StoreValidation.Ready;
        }
        catch (SyncException e)
        {
            return StoreValidation.Error(e.Message);
        }
    }

    // Recursive LIST under the mount; returns paths relative to the mount.
    private async Task<List<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var listPath = v2 ? $"{mount}/metadata/{prefix}" : $"{mount}/{prefix}";
        var listing = await client.ReadAsync(listPath.TrimEnd('/'), cancellationToken, "LIST").ConfigureAwait(false);
        var paths = new List<string>();
        foreach (var key in listing?["data"]?["keys"] as JsonArray ?? [])
        {
            var name = key?.ToString() ?? "";
            var full = prefix.Length == 0 ? name : $"{prefix}/{name}";
            if (name.EndsWith('/'))
            {
                paths.AddRange(await ListAsync(full.TrimEnd('/'), cancellationToken).ConfigureAwait(false));
            }
            else
            {
                paths.Add(full);
            }
        }

        return paths;
    }

    private async Task<JsonObject> ReadDataAsync(string key, string? version, CancellationToken cancellationToken)
    {
        var path = VaultPaths.Data(mount, v2, key) + (v2 && version is not null ? "?version=" + Uri.EscapeDataString(version) : "");
        var response = await client.ReadAsync(path, cancellationToken).ConfigureAwait(false) ?? throw SecretNotFoundException.ForKey(Name, key);
        var data = response["data"];
        if (!v2)
        {
            return data as JsonObject ?? throw SecretNotFoundException.ForKey(Name, key);
        }

        if (data is not JsonObject envelope || !envelope.ContainsKey("data"))
        {
            throw new SyncException($"vault: failed to find data field in secret \"{key}\"");
        }

        // data: null ⇒ a deleted or destroyed version
        return envelope["data"] as JsonObject ?? throw SecretNotFoundException.ForKey(Name, key);
    }

    private async Task<JsonObject> ReadMetadataAsync(string key, CancellationToken cancellationToken)
    {
        if (!v2)
        {
            throw new SyncException("vault: metadataPolicy Fetch needs KV v2");
        }

        var response = await client.ReadAsync(VaultPaths.Metadata(mount, v2, key), cancellationToken).ConfigureAwait(false) ?? throw SecretNotFoundException.ForKey(Name, key);
        var metadata = response["data"] as JsonObject ?? [];
        var result = new JsonObject();
        foreach (var (k, v) in metadata["custom_metadata"] as JsonObject ?? [])
        {
            result[k] = v?.ToString();
        }

        foreach (var field in new[] { "created_time", "current_version", "delete_version_after" })
        {
            if (metadata[field] is { } value)
            {
                result[field] = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : value.ToJsonString();
            }
        }

        return result;
    }

    // Go json.Marshal of map[string]interface{}: compact, sorted keys, HTML-escaped.
    private static string Marshal(JsonObject data)
    {
        using var document = JsonDocument.Parse(data.ToJsonString());
        return GoJson.Marshal(GoJson.Convert(document.RootElement));
    }

    // ESO GetByteValue: strings raw, numbers as text, bools, objects/arrays re-marshalled, null empty.
    private static byte[] ByteValue(JsonNode? node) => node switch
    {
        null => [],
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Encoding.UTF8.GetBytes(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => Encoding.UTF8.GetBytes(value.ToJsonString()),
        JsonValue value => Encoding.UTF8.GetBytes(value.ToJsonString()),
        JsonObject obj => Encoding.UTF8.GetBytes(Marshal(obj)),
        _ => Encoding.UTF8.GetBytes(node.ToJsonString()),
    };

    public async ValueTask DisposeAsync()
    {
        if (token.Revocable)
        {
            try
            {
                await client.RevokeSelfAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // best effort: the token expires on its own
            }
        }

        client.Http.Dispose();
    }
}

/// <summary>Creates <see cref="VaultProvider"/> clients: one login per sync, as ESO does without its token cache.</summary>
public sealed class VaultProviderFactory : ISecretsProviderFactory
{
    public string Name => "vault";

    public async Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config(Name);
        var server = new Uri(config["server"].Required.TrimEnd('/') + "/");
        var version = config["version"].String is { Length: > 0 } v ? v : "v2";
        if (version is not ("v1" or "v2"))
        {
            throw config["version"].Invalid($"is \"{version}\", expected v1 or v2");
        }

        var ns = config["namespace"].String is { Length: > 0 } n ? n : null;
        var http = ProviderHttp.Create(context, await context.ReadCaAsync(config, cancellationToken).ConfigureAwait(false), server);
        foreach (var (header, value) in config["headers"].MapOrEmpty)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        }

        try
        {
            var loginNamespace = config["auth"]["namespace"].String is { Length: > 0 } authNs ? authNs : ns;
            var token = await VaultAuthentication.LoginAsync(http, config["auth"], context, loginNamespace, cancellationToken).ConfigureAwait(false);
            var mount = config["path"].String is { Length: > 0 } path ? path.Trim('/') : null;
            return new VaultProvider(new VaultClient(http, token.Value, ns), mount, version == "v2", token);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }
}
