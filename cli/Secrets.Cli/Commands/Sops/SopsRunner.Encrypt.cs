using Secrets.Cli.Commands.Seal;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Config;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Rules;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    public async Task<int> EncryptAsync(CancellationToken cancellationToken)
    {
        // The values are encrypted as the store writes them, a batch at a time (docs/sops.md "Benchmark").
        using var encrypted = await EncryptOnWriteAsync(await LoadPlainInputAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var store = OutputStore();
        await WriteAsync(output => store.EmitEncrypted(encrypted.File, output), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private async Task<DeferredSopsFile> EncryptOnWriteAsync(List<TreeBranch> documents, CancellationToken cancellationToken) =>
        await SopsEngine.EncryptOnWriteAsync(documents, EncryptionRequestFor(documents), cancellationToken).ConfigureAwait(false);

    private async Task<SopsFile> EncryptDocumentsAsync(List<TreeBranch> documents, CancellationToken cancellationToken) =>
        await SopsEngine.EncryptAsync(documents, EncryptionRequestFor(documents), cancellationToken).ConfigureAwait(false);

    private EncryptionRequest EncryptionRequestFor(List<TreeBranch> documents)
    {
        if (InputStore().HasMetadata(documents))
        {
            throw new SecretsOperationException(ErrorKind.AlreadyEncrypted, "the file is already encrypted")
            {
                Hints = ["decrypt it first, or use 'secrets rotate' / 'secrets updatekeys' to change its keys"],
            };
        }

        var rule = RulePath is null ? null : Config()?.Match(context.ResolvePath(RulePath));
        var registry = Registry();
        return new EncryptionRequest
        {
            KeyGroups = KeyGroups(registry, rule),
            ShamirThreshold = result.GetValue(options.ShamirThreshold) ?? rule?.ShamirThreshold ?? 0,
            Rules = Rules(rule?.Rules),
            Time = context.Time,
        };
    }

    /// <summary>CLI key flags (or their SOPS_* env defaults) replace the config's keys entirely (sops.md §7).</summary>
    private List<IReadOnlyList<IMasterKey>> KeyGroups(MasterKeyRegistry registry, CreationRule? rule)
    {
        var flagged = new List<IMasterKey>();
        foreach (var (type, option, env) in options.KeyFlagsByType())
        {
            var values = SealIo.SplitList(result.GetValue(option));
            if (values.Count == 0 && Env(env) is { } fromEnv)
            {
                values = SealIo.SplitList([fromEnv]);
            }

            flagged.AddRange(values.Select(value => registry.Parse(type, value)));
        }

        if (flagged.Count > 0)
        {
            return [flagged];
        }

        if (rule is { KeyGroups.Count: > 0 })
        {
            return [.. rule.KeyGroups.Select(group => (IReadOnlyList<IMasterKey>)[.. group.Select(key => Resolve(registry, key))])];
        }

        throw new SecretsOperationException(ErrorKind.Usage, "no master keys were given to encrypt the data key")
        {
            Hints = ["pass --age age1… or --pgp FINGERPRINT, or add a creation rule with keys to .sops.yaml"],
        };
    }

    private static IMasterKey Resolve(MasterKeyRegistry registry, KeyReference key) =>
        key.Entry is { } entry ? registry.FromEntry(entry) : registry.Parse(key.Type, key.Text!);

    /// <summary>CLI rule flags take precedence over the creation rule's.</summary>
    private EncryptionRules Rules(EncryptionRules? fromConfig)
    {
        var cli = new EncryptionRules
        {
            UnencryptedSuffix = result.GetValue(options.UnencryptedSuffix),
            EncryptedSuffix = result.GetValue(options.EncryptedSuffix),
            UnencryptedRegex = result.GetValue(options.UnencryptedRegex),
            EncryptedRegex = result.GetValue(options.EncryptedRegex),
            UnencryptedCommentRegex = result.GetValue(options.UnencryptedCommentRegex),
            EncryptedCommentRegex = result.GetValue(options.EncryptedCommentRegex),
        };
        var chosen = cli.Selectors().Any() ? cli : fromConfig ?? new EncryptionRules();
        return chosen with { MacOnlyEncrypted = result.GetValue(options.MacOnlyEncrypted) || (fromConfig?.MacOnlyEncrypted ?? false) };
    }

}
