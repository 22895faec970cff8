using System.Buffers.Text;
using System.Collections.Concurrent;
using Azure.Core;
using Secrets.Core.Keys;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// The <c>azure_kv</c> key type: parses Key Vault key URLs, wraps and unwraps data keys with RSA-OAEP-256 through a
/// small Azure.Core client with challenge-based bearer authentication (sops.md §2.1, test-infra.md §4).
/// </summary>
public sealed class AzureKeyVaultKeySource(AzureKeyVaultOptions? options = null) : IMasterKeySource
{
    public const string TypeName = "azure_kv";

    private readonly ConcurrentDictionary<string, KeyVaultKeyClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<TokenCredential> _credential = new(() => options?.Credential ?? AzureCredentialChain.FromEnvironment(options?.Transport));

    public string Type => TypeName;

    internal AzureKeyVaultOptions Options { get; } = options ?? new AzureKeyVaultOptions();

    public IMasterKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new AzureKeyVaultMasterKey(this, KeyVaultKeyReference.Parse(value), createdAt: null);
    }

    public IMasterKey FromEntry(MasterKeyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // .sops.yaml key groups name the fields vaultUrl/key/version; stored entries vault_url/name/version (sops.md §7).
        var vault = entry["vault_url"] ?? entry["vaultUrl"] ?? KeyFields.Required(entry, "vault_url");
        var name = entry["name"] ?? entry["key"] ?? KeyFields.Required(entry, "name");
        var version = entry["version"] is { Length: > 0 } v ? "/" + v : "";
        return new AzureKeyVaultMasterKey(this, KeyVaultKeyReference.Parse($"{vault.TrimEnd('/')}/keys/{name}{version}"), entry["created_at"]);
    }

    public async ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != TypeName)
        {
            return null;
        }

        var key = ((AzureKeyVaultMasterKey)FromEntry(entry)).Key;
        var wrapped = KeyFields.Enc(entry, enc => Base64Url.DecodeFromChars(enc.TrimEnd('=')));
        return await CallAsync(key, "unwrap", (client, ct) => client.UnwrapAsync(key.Name, key.Version, wrapped, ct), cancellationToken);
    }

    internal async Task<T> CallAsync<T>(KeyVaultKeyReference key, string operation, Func<KeyVaultKeyClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var client = _clients.GetOrAdd(key.VaultUrl, url => new KeyVaultKeyClient(new Uri(url + "/"), Options, _credential.Value));
            return await call(client, cancellationToken);
        }
        catch (Exception e) when (KeyVaultFailure.IsServiceFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw KeyVaultFailure.From(key.Url, operation, e);
        }
    }
}
