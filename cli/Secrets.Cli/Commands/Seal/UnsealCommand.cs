using System.CommandLine;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal;

/// <summary>
/// <c>secrets unseal</c>: offline recovery of SealedSecrets with the controller's private keys — a friendlier
/// spelling of <c>kubeseal --recovery-unseal --recovery-private-key</c> (docs/sealing.md).
/// </summary>
internal static class UnsealCommand
{
    public static Command Create(CliContext context)
    {
        var keys = new Option<string[]>("--key", "-k")
        {
            Description = "Private key file: PEM (PKCS#1/PKCS#8) or key Secret manifest (tls.key); repeatable and comma-separated; every key is tried",
            HelpName = "FILE",
            Required = true,
        };
        var input = new Option<string?>("--file", "-f") { Description = "SealedSecret(s) to unseal (YAML or JSON); default stdin", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-w") { Description = "Write the Secret(s) to FILE (mode 0600, atomically) instead of stdout", HelpName = "FILE" };
        var format = SealCommand.FormatOption();
        var command = new Command("unseal", "Decrypt SealedSecrets offline with the controller's private keys and print the Secrets (kubeseal --recovery-unseal).\n\nExample:\n  kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml > keys.yaml\n  secrets unseal -k keys.yaml -f mysecret.sealed.yaml -o yaml")
        {
            keys,
            input,
            output,
            format,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var outputPath = result.GetValue(output);
            await RecoverAsync(
                context,
                result.GetValue(keys),
                result.GetValue(input),
                outputPath,
                SealIo.ResolveFormat(result.GetValue(format), outputPath),
                cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The recovery flow shared with <c>seal --recovery-unseal</c>.</summary>
    public static async Task RecoverAsync(CliContext context, IEnumerable<string>? keyFiles, string? inputPath, string? outputPath, ManifestFormat format, CancellationToken cancellationToken)
    {
        var files = SealIo.SplitList(keyFiles);
        if (files.Count == 0)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "no private key given")
            {
                Hints = ["pass -k FILE (PEM private key or the controller's key Secret manifest)"],
            };
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

        var source = inputPath is null or "-" ? "stdin" : inputPath;
        var sealedSecrets = (await SealIo.ReadObjectsAsync(context, inputPath, cancellationToken).ConfigureAwait(false))
            .Select(document => SealedSecret.FromDocument(document, source)).ToList();
        var documents = UnsealAll(keys, sealedSecrets, cancellationToken);
        await SealIo.WriteOutputAsync(context, outputPath, SealIo.Render(documents, format), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Unseals the SealedSecrets concurrently as well as their items, so that a recovery of many small SealedSecrets
    /// (one or two items each, as clusters hold them) keeps every core on RSA; the first failure in input order is
    /// reported, and no plaintext of the others is kept.
    /// </summary>
    private static List<JsonObject> UnsealAll(UnsealingKeySet keys, List<SealedSecret> sealedSecrets, CancellationToken cancellationToken)
    {
        var documents = new JsonObject?[sealedSecrets.Count];
        var failures = new Exception?[sealedSecrets.Count];
        Parallel.For(0, sealedSecrets.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            try
            {
                var secret = keys.Unseal(sealedSecrets[i], cancellationToken);
                documents[i] = secret.ToDocument();
                secret.Clear();
            }
            catch (SecretsException e)
            {
                failures[i] = e;
            }
        });

        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            Array.Clear(documents);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return [.. documents.Select(d => d!)];
    }
}
