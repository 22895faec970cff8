using Secrets.Cli.Commands.Sops;
using Secrets.Core.Keys;
using Secrets.Sops.Keys;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// The keys <c>render</c>, <c>krm</c> and <c>sopssecret</c> use: the CLI's one list of key sources
/// (<see cref="KeySources"/>), so identities and credentials are found exactly where <c>secrets decrypt</c> finds them
/// (eso-flux.md §4.4: SOPS_AGE_KEY(_FILE|_CMD), keys.txt, GNUPGHOME, ambient cloud credentials).
/// </summary>
internal sealed class RenderKeys(CliContext context)
{
    private readonly Lazy<MasterKeyRegistry> _registry = new(() => KeySources.Create(new KeySourceOptions(context, null, new Dictionary<string, string>())));

    public DataKeyRecovery Recovery() =>
        new(_registry.Value, DataKeyRecovery.ParseOrder(context.GetEnvironmentVariable("SOPS_DECRYPTION_ORDER")));

    /// <summary>An encryption key from its flag form (age recipient, PGP fingerprint, KMS ARN, Key Vault URL, Vault URI).</summary>
    public IMasterKey Parse(string type, string value) => _registry.Value.Parse(type, value);
}
