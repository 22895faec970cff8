using System.CommandLine;
using Secrets.Cli.Commands.Render;
using Secrets.Cli.Commands.Seal;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Kubernetes;

namespace Secrets.Cli.Commands.SopsSecret;

/// <summary>
/// <c>secrets sopssecret</c>: a plain Secret manifest (or several) in, an encrypted <c>SopsSecret</c> out, in one step
/// (docs/gitops.md). Always <c>encrypted_regex: ^(data|stringData)$</c> and <c>mac_only_encrypted</c>, keys sorted.
/// </summary>
internal static class SopsSecretCommand
{
    private static readonly (string Flag, string Type, string Env, string Description)[] KeyFlags =
    [
        ("--age", "age", "SOPS_AGE_RECIPIENTS", "age recipient(s) (age1…)"),
        ("--pgp", "pgp", "SOPS_PGP_FP", "PGP fingerprint(s); the public key must be exported in GNUPGHOME"),
        ("--kms", "kms", "SOPS_KMS_ARN", "AWS KMS key ARN(s), arn[+role]"),
        ("--azure-kv", "azure_kv", "SOPS_AZURE_KEYVAULT_URLS", "Azure Key Vault key URL(s)"),
        ("--hc-vault-transit", "hc_vault", "SOPS_VAULT_URIS", "Vault transit key URI(s)"),
    ];

    public static Command Create(CliContext context)
    {
        var input = new Argument<string?>("FILE") { Description = "Secret manifest(s), YAML or JSON; default stdin", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (mode 0600, atomically) instead of stdout", HelpName = "FILE" };
        var name = new Option<string?>("--name") { Description = "SopsSecret name (default: the first Secret's name)" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "SopsSecret namespace (default: the Secrets' namespace, if any)" };
        var keyOptions = KeyFlags.Select(k => new Option<string[]>(k.Flag) { Description = $"{k.Description}; comma-separated or repeated (env {k.Env})" }).ToArray();
        var command = new Command("sopssecret", "Turn plain Secret manifests into one encrypted SopsSecret (secrets.gitops.dev/v1alpha1) for the controller or 'secrets render'.\n\nExample:\n  kubectl create secret generic db --from-literal=password=s3cr3t --dry-run=client -o yaml | secrets sopssecret --age age1… -o db.sopssecret.yaml")
        {
            input,
            output,
            name,
            ns,
        };
        foreach (var option in keyOptions)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var keys = new RenderKeys(context);
            var group = new List<IMasterKey>();
            for (var i = 0; i < KeyFlags.Length; i++)
            {
                var values = SealIo.SplitList(result.GetValue(keyOptions[i]));
                if (values.Count == 0 && context.GetEnvironmentVariable(KeyFlags[i].Env) is { Length: > 0 } fromEnv)
                {
                    values = SealIo.SplitList([fromEnv]);
                }

                group.AddRange(values.Select(v => keys.Parse(KeyFlags[i].Type, v)));
            }

            if (group.Count == 0)
            {
                throw new SecretsOperationException(ErrorKind.Usage, "no encryption key given")
                {
                    Hints = ["pass --age age1…, --pgp FINGERPRINT, --kms ARN, --azure-kv URL or --hc-vault-transit URI"],
                };
            }

            var secrets = await SealIo.ReadObjectsAsync(context, result.GetValue(input), cancellationToken).ConfigureAwait(false);
            var plain = SopsSecretDocument.FromSecrets(secrets, result.GetValue(name), result.GetValue(ns));
            var encrypted = await SopsSecretDocument.EncryptAsync(plain, [group], context.Time, cancellationToken).ConfigureAwait(false);
            await SealIo.WriteOutputAsync(context, result.GetValue(output), encrypted, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
