using System.Buffers.Text;
using Secrets.Core.Keys;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// One Key Vault key: RSA-OAEP-256 <c>wrapkey</c> of the data key; <c>enc</c> = base64url without padding; fields
/// <c>vault_url</c>, <c>name</c>, <c>version</c> (an empty version is resolved to the current one first),
/// <c>created_at</c>, <c>enc</c> (sops.md §2.1).
/// </summary>
internal sealed class AzureKeyVaultMasterKey(AzureKeyVaultKeySource source, KeyVaultKeyReference key, string? createdAt) : IMasterKey
{
    public string Type => AzureKeyVaultKeySource.TypeName;

    public string Id => key.Url;

    public KeyVaultKeyReference Key => key;

    public async ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        var (version, wrapped) = await source.CallAsync(key, "wrap", async (client, ct) =>
        {
            var version = key.Version ?? await client.CurrentVersionAsync(key.Name, ct);
            return (version, await client.WrapAsync(key.Name, version, dataKey, ct));
        }, cancellationToken);
        return new MasterKeyEntry(Type, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["vault_url"] = key.VaultUrl,
            ["name"] = key.Name,
            ["version"] = version,
            ["created_at"] = KeyTimestamp.KeepOrNow(createdAt, source.Options.TimeProvider),
            ["enc"] = Base64Url.EncodeToString(wrapped),
        });
    }
}
