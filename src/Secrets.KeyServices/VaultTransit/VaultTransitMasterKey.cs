using Secrets.Core.Keys;

namespace Secrets.KeyServices.VaultTransit;

/// <summary>
/// One transit key: <c>enc</c> = the <c>vault:vN:…</c> ciphertext of the data key; fields <c>vault_address</c>,
/// <c>engine_path</c>, <c>key_name</c>, <c>created_at</c>, <c>enc</c> (sops.md §2.1).
/// </summary>
internal sealed class VaultTransitMasterKey(VaultTransitKeySource source, VaultTransitKeyReference key, string? createdAt) : IMasterKey
{
    public string Type => VaultTransitKeySource.TypeName;

    public string Id => key.Uri;

    public VaultTransitKeyReference Key => key;

    public async ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        var enc = await source.Client.EncryptAsync(key, dataKey, cancellationToken);
        return new MasterKeyEntry(Type, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["vault_address"] = key.Address,
            ["engine_path"] = key.EnginePath,
            ["key_name"] = key.KeyName,
            ["created_at"] = KeyTimestamp.KeepOrNow(createdAt, source.Options.TimeProvider),
            ["enc"] = enc,
        });
    }
}
