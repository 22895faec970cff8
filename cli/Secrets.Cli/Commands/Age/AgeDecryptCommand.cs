using System.CommandLine;
using System.Text;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary><c>secrets age decrypt</c>: <c>age -d</c> (age.md §8); armor is detected.</summary>
internal static class AgeDecryptCommand
{
    // Plaintext shown on a terminal is held back until it is known to be text; larger output needs -o.
    private const int MaxTerminalOutput = 1024 * 1024;

    public static Command Create(CliContext context)
    {
        var identities = new Option<string[]>("--identity", "-i") { Description = "Identity file: age keys (AGE-SECRET-KEY-1...) or an ssh private key ('-' = stdin); repeatable", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the plaintext to FILE (atomically: nothing is left behind on failure)", HelpName = "FILE" };
        var input = new Argument<string?>("INPUT") { Description = "File to decrypt, binary or armored (default stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("decrypt", "Decrypt an age file with identity files, or with the passphrase it was encrypted with (asked on the terminal).\n\nExample:\n  secrets age decrypt -i key.txt -o secret.txt secret.age\n  secrets age decrypt -i ~/.ssh/id_ed25519 secret.age")
        {
            identities, output, input,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var inputPath = result.GetValue(input);
            var outputPath = result.GetValue(output);
            var list = CollectIdentities(context, result.GetValue(identities) ?? [], inputPath);
            using var file = AgeIo.OpenInput(context, inputPath, "input file");
            if (AgeIo.IsStdio(outputPath) && context.StdOutIsTerminal)
            {
                await DecryptToTerminalAsync(context, file, list, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AgeIo.WriteAsync(context, outputPath, s => AgeFile.DecryptAsync(file, s, list, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<IIdentity> CollectIdentities(CliContext context, string[] files, string? inputPath)
    {
        if (files.Count(AgeIo.IsStdio) + (AgeIo.IsStdio(inputPath) ? 1 : 0) > 1)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "standard input cannot be both an identity file and the input");
        }

        var list = new List<IIdentity>();
        foreach (var path in files)
        {
            list.AddRange(IdentityFile.Read(context, path));
        }

        list.Add(new TerminalPassphraseIdentity(context));
        return list;
    }

    private static async Task DecryptToTerminalAsync(CliContext context, Stream file, List<IIdentity> identities, CancellationToken cancellationToken)
    {
        using var plaintext = new BoundedMemoryStream(MaxTerminalOutput);
        await AgeFile.DecryptAsync(file, plaintext, identities, cancellationToken).ConfigureAwait(false);
        var bytes = plaintext.ToArray();
        if (!IsText(bytes))
        {
            throw new SecretsOperationException(ErrorKind.Usage, "refusing to write binary output to a terminal")
            {
                Hints = ["use -o FILE, or redirect the output"],
            };
        }

        await context.StdOut.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await context.StdOut.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
