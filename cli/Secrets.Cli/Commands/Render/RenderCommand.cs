using System.CommandLine;
using System.Text.Json.Nodes;
using Secrets.Cli.Commands.Seal;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;
using Secrets.Sops.Kubernetes;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// <c>secrets render [DIR|FILE|-]…</c>: plain manifests on stdout for Argo CD's config management plugin or a pipeline
/// (eso-flux.md §4.4 item 1). All output is produced in memory first: on any error stdout stays empty and the exit
/// code is non-zero, so an empty render can never prune an application.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Manifest files or directories (walked recursively); - for stdin; default .", Arity = ArgumentArity.ZeroOrMore };
        var keys = new Option<string[]>("--key", "-k")
        {
            Description = "SealedSecrets controller private key (PEM or key Secret manifest) to unseal SealedSecrets; repeatable",
            HelpName = "FILE",
        };
        var verifyMac = new Option<bool>("--verify-mac") { Description = "Verify every sops MAC (default: only files written with mac_only_encrypted, like SopsSecrets)" };
        var noVerifyMac = new Option<bool>("--ignore-mac") { Description = "Never verify sops MACs (exactly Flux's behaviour)" };
        var command = new Command("render", "Decrypt sops-encrypted manifests (Flux's rules), expand SopsSecrets and unseal SealedSecrets, and print plain manifests.\n\nKeys: SOPS_AGE_KEY_FILE / SOPS_AGE_KEY / ~/.config/sops/age/keys.txt, exported PGP keys in GNUPGHOME, cloud credentials from the environment.\n\nExamples:\n  secrets render .\n  kustomize build overlays/prod | secrets render -\n  secrets render -k sealed-secrets-key.yaml manifests/")
        {
            paths,
            keys,
            verifyMac,
            noVerifyMac,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var check = result.GetValue(verifyMac) ? MacCheck.Always : result.GetValue(noVerifyMac) ? MacCheck.Never : MacCheck.WhenMacOnlyEncrypted;
            var output = await RenderAsync(context, result.GetValue(paths) ?? [], SealIo.SplitList(result.GetValue(keys)), check, cancellationToken).ConfigureAwait(false);
            await SealIo.WriteOutputAsync(context, null, SealIo.Render(output, ManifestFormat.Yaml), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<List<JsonObject>> RenderAsync(CliContext context, IReadOnlyList<string> paths, IReadOnlyList<string> keyFiles, MacCheck check, CancellationToken cancellationToken)
    {
        var keys = new RenderKeys(context);
        var renderer = new ManifestRenderer(new ManifestDecryptor(keys.Recovery(), check), await LoadSealingKeysAsync(context, keyFiles, cancellationToken).ConfigureAwait(false));
        var output = new List<JsonObject>();
        foreach (var (source, document) in await ManifestInputs.ReadAsync(context, paths, cancellationToken).ConfigureAwait(false))
        {
            output.AddRange(await renderer.RenderAsync(document, source, cancellationToken).ConfigureAwait(false));
        }

        return output;
    }

    private static async Task<UnsealingKeySet?> LoadSealingKeysAsync(CliContext context, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return null;
        }

        var keys = new UnsealingKeySet();
        foreach (var file in files)
        {
            var bytes = await SealIo.ReadInputAsync(context, file, "private key file", cancellationToken).ConfigureAwait(false);
            try
            {
                keys.Add(ManifestReader.Decode(bytes), file);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
            }
        }

        return keys;
    }
}
