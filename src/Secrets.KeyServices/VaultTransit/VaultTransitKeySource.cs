using Secrets.Core;
using Secrets.Core.Keys;

namespace Secrets.KeyServices.VaultTransit;

/// <summary>The <c>hc_vault</c> key type: HashiCorp Vault / OpenBao transit keys (sops.md §2.1, test-infra.md §5).</summary>
public sealed class VaultTransitKeySource : IMasterKeySource, IDisposable
{
    public const string TypeName = "hc_vault";

    private readonly Lazy<HttpClient> _owned = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
    private readonly Lazy<VaultTransitClient> _client;

    public VaultTransitKeySource(VaultTransitOptions? options = null)
    {
        Options = options ?? new VaultTransitOptions();

        // Built on first use: commands whose files hold no Vault key never construct an HttpClient (issue #4 item 7).
        _client = new(() => new VaultTransitClient(Options.HttpClient ?? _owned.Value, Options));
    }

    public string Type => TypeName;

    internal VaultTransitOptions Options { get; }

    internal VaultTransitClient Client => _client.Value;

    public IMasterKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new VaultTransitMasterKey(this, VaultTransitKeyReference.Parse(value), createdAt: null);
    }

    public IMasterKey FromEntry(MasterKeyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = VaultTransitKeyReference.FromFields(
            KeyFields.Required(entry, "vault_address"), KeyFields.Required(entry, "engine_path"), KeyFields.Required(entry, "key_name"));
        return new VaultTransitMasterKey(this, key, entry["created_at"]);
    }

    public async ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != TypeName)
        {
            return null;
        }

        var key = ((VaultTransitMasterKey)FromEntry(entry)).Key;
        var enc = KeyFields.Required(entry, "enc");
        if (!enc.StartsWith("vault:v", StringComparison.Ordinal))
        {
            throw new InvalidFileException($"{TypeName} key entry has a malformed \"enc\" (expected vault:vN:…)");
        }

        return await Client.DecryptAsync(key, enc, cancellationToken);
    }

    public void Dispose()
    {
        if (_owned.IsValueCreated)
        {
            _owned.Value.Dispose();
        }
    }
}
