using System.Text;
using Azure;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers.AzureKeyVault;

/// <summary>
/// Azure Key Vault secrets (providers/v1/azure/keyvault, eso-flux.md §2.3): keys may carry the <c>secret/</c> prefix;
/// property looks up the path first, then the escaped literal; metadataPolicy Fetch returns the tags; find lists
/// enabled secrets matching all tags and the name regexp. <c>cert/</c> and <c>key/</c> objects need SDKs this build
/// does not have and are reported as unsupported.
/// </summary>
internal sealed class AzureKeyVaultProvider(SecretClient client) : ISecretsProvider
{
    private const string Name = "azurekv";

    public async Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var secret = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (reference.MetadataPolicy == MetadataPolicy.Fetch)
        {
            var tags = ProviderValues.MapToJson(secret.Properties.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
            return reference.Property is { } tag
                ? (secret.Properties.Tags.TryGetValue(tag, out var value) ? Encoding.UTF8.GetBytes(value) : ProviderValues.PropertyPathFirst(tags, tag))
                    ?? throw new SecretNotFoundException($"{Name}: tag \"{tag}\" not found on secret \"{reference.Key}\"")
                : tags;
        }

        var bytes = Encoding.UTF8.GetBytes(secret.Value ?? "");
        return reference.Property is { } property
            ? ProviderValues.PropertyPathFirst(bytes, property) ?? throw new SyncException($"{Name}: property \"{property}\" does not exist in secret \"{reference.Key}\"")
            : bytes;
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var value = await GetSecretAsync(reference, cancellationToken).ConfigureAwait(false);
        return ProviderValues.JsonToMap(value, reference.Key);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken)
    {
        var matches = ProviderValues.NameMatcher(find.NameRegexp);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var properties in client.GetPropertiesOfSecretsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (properties.Enabled == false || !matches(properties.Name)
                || !find.Tags.All(t => properties.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
            {
                continue;
            }

            var secret = await client.GetSecretAsync(properties.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            result[properties.Name] = Encoding.UTF8.GetBytes(secret.Value.Value ?? "");
        }

        return result;
    }

    public Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken) => Task.FromResult(StoreValidation.Ready);

    private async Task<KeyVaultSecret> GetAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var slash = reference.Key.IndexOf('/', StringComparison.Ordinal);
        var (type, name) = slash < 0 ? ("secret", reference.Key) : (reference.Key[..slash], reference.Key[(slash + 1)..]);
        if (type != "secret")
        {
            throw new SyncException($"{Name}: object type \"{type}\" (key \"{reference.Key}\") is not supported; only secret/ objects are");
        }

        try
        {
            return (await client.GetSecretAsync(name, reference.Version, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw SecretNotFoundException.ForKey(Name, reference.Key);
        }
        catch (RequestFailedException e)
        {
            throw new SyncException($"{Name}: reading secret \"{name}\" failed: HTTP {e.Status} {e.ErrorCode}", e);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Creates <see cref="AzureKeyVaultProvider"/> clients.</summary>
public sealed class AzureKeyVaultProviderFactory : ISecretsProviderFactory
{
    private static readonly string[] KnownSuffixes = [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".vault.microsoftazure.de", ".managedhsm.azure.net"];

    public string Name => "azurekv";

    public async Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config(Name);
        var vaultUrl = new Uri(config["vaultUrl"].Required);
        var transport = context.HttpHandlerFactory is { } factory ? new HttpClientTransport(factory()) : null;
        var credential = await AzureCredentials.CreateAsync(config, context, transport, cancellationToken).ConfigureAwait(false);
        var options = new SecretClientOptions
        {
            // Private endpoints and custom domains answer the challenge for vault.azure.net (test-infra.md §4).
            DisableChallengeResourceVerification = !KnownSuffixes.Any(s => vaultUrl.Host.EndsWith(s, StringComparison.OrdinalIgnoreCase)),
        };
        options.Retry.MaxRetries = 2;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return new AzureKeyVaultProvider(new SecretClient(vaultUrl, credential, options));
    }
}
