using Secrets.Core.Keys;
using Secrets.KeyServices.AwsKms;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.KeyServices.VaultTransit;
using Secrets.Pgp;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Keys.Pgp;

namespace Secrets.Cli.Commands.Sops;

/// <summary>What the command line gives key sources: the context and the KMS-specific flags.</summary>
internal sealed record KeySourceOptions(CliContext Context, string? AwsProfile, IReadOnlyDictionary<string, string> EncryptionContext);

/// <summary>
/// The one list of master-key types the CLI knows, type → source. Adding a key type is one line here; the engine
/// and the commands only see <see cref="IMasterKeySource"/>.
/// </summary>
internal static class KeySources
{
    private static readonly (string Type, Func<KeySourceOptions, IMasterKeySource> Create)[] All =
    [
        (AgeKeySource.KeyType, o => new AgeKeySource(() => new AgeIdentityLoader(o.Context.GetEnvironmentVariable, o.Context.ReadSecret).Load())),
        (PgpKeySource.KeyType, o => new PgpKeySource(() => LoadPgpKeyring(o.Context), o.Context.Time)),
        (KmsKeySource.TypeName, o => new KmsKeySource(new KmsOptions
        {
            AwsProfile = o.AwsProfile ?? "",
            EncryptionContext = o.EncryptionContext.Count > 0 ? o.EncryptionContext : null,
            TimeProvider = o.Context.Time,
        })),
        (AzureKeyVaultKeySource.TypeName, o => new AzureKeyVaultKeySource(new AzureKeyVaultOptions
        {
            Credential = AzureCredentialChain.FromEnvironment(getEnvironmentVariable: o.Context.GetEnvironmentVariable),
            // Private endpoints and custom domains are not under the challenge's resource domain (test-infra.md §4).
            DisableChallengeResourceVerification = o.Context.GetEnvironmentVariable("SECRETS_AZURE_KV_DISABLE_CHALLENGE_RESOURCE_VERIFICATION") == "true",
            TimeProvider = o.Context.Time,
        })),
        (VaultTransitKeySource.TypeName, o => new VaultTransitKeySource(new VaultTransitOptions
        {
            GetEnvironmentVariable = o.Context.GetEnvironmentVariable,
            TimeProvider = o.Context.Time,
        })),
    ];

    /// <summary>Each source is built on first use: decrypting an age-only file sets up no cloud SDK, credential or keyring.</summary>
    public static MasterKeyRegistry Create(KeySourceOptions options) =>
        new(All.Select(source => (source.Type, (Func<IMasterKeySource>)(() => source.Create(options)))));

    /// <summary>Exported keys in $GNUPGHOME (default ~/.gnupg): *.asc/*.gpg files and GnuPG 1 keyrings, read in process.</summary>
    private static PgpKeyring LoadPgpKeyring(CliContext context)
    {
        var home = context.GetEnvironmentVariable("GNUPGHOME") is { Length: > 0 } gnupgHome
            ? gnupgHome
            : Path.Combine(context.GetEnvironmentVariable("HOME") ?? "", ".gnupg");
        return Directory.Exists(home) ? PgpKeyring.LoadDirectory(home) : PgpKeyring.Load([]);
    }
}
