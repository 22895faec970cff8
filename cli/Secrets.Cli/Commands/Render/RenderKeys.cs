using Secrets.Core.Keys;
using Secrets.KeyServices.AwsKms;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.KeyServices.VaultTransit;
using Secrets.Pgp;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Keys.Pgp;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// The keys <c>render</c>, <c>krm</c> and <c>sopssecret</c> use, found where sops finds them (eso-flux.md §4.4): age
/// identities from SOPS_AGE_KEY(_FILE|_CMD) and the default keys.txt, PGP keys exported in $GNUPGHOME, and cloud keys
/// with the ambient credentials of each SDK. Every source loads lazily, so an age-only run reads nothing else.
/// </summary>
internal sealed class RenderKeys(CliContext context) : IDisposable
{
    private readonly KmsKeySource _kms = new();
    private readonly VaultTransitKeySource _vault = new();

    public MasterKeyRegistry Registry() => new(
    [
        new AgeKeySource(() => new AgeIdentityLoader(context.GetEnvironmentVariable).Load()),
        new PgpKeySource(LoadPgpKeyring(), context.Time),
        _kms,
        new AzureKeyVaultKeySource(),
        _vault,
    ]);

    public DataKeyRecovery Recovery() =>
        new(Registry(), DataKeyRecovery.ParseOrder(context.GetEnvironmentVariable("SOPS_DECRYPTION_ORDER")));

    public void Dispose()
    {
        _kms.Dispose();
        _vault.Dispose();
    }

    /// <summary>Exported keys in $GNUPGHOME (default ~/.gnupg), read in process; none when the directory is missing.</summary>
    private PgpKeyring LoadPgpKeyring()
    {
        var home = context.GetEnvironmentVariable("GNUPGHOME") is { Length: > 0 } gnupgHome
            ? gnupgHome
            : Path.Combine(context.GetEnvironmentVariable("HOME") ?? "", ".gnupg");
        return Directory.Exists(home) ? PgpKeyring.LoadDirectory(home) : PgpKeyring.Load([]);
    }

    /// <summary>An encryption key from its flag form (age recipient, PGP fingerprint, KMS ARN, Key Vault URL, Vault URI).</summary>
    public IMasterKey Parse(string type, string value) => Registry().Parse(type, value);
}
