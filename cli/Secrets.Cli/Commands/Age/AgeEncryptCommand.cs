using System.CommandLine;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary><c>secrets age encrypt</c>: <c>age -e</c> (age.md §8).</summary>
internal static class AgeEncryptCommand
{
    public static Command Create(CliContext context)
    {
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "Encrypt to RECIPIENT (age1..., age1pq1..., ssh-ed25519 ..., ssh-rsa ...); repeatable", HelpName = "RECIPIENT" };
        var recipientFiles = new Option<string[]>("--recipients-file", "-R") { Description = "Encrypt to the recipients listed in FILE ('-' = stdin); repeatable", HelpName = "FILE" };
        var passphrase = new Option<bool>("--passphrase", "-p") { Description = "Encrypt with a passphrase read from the terminal" };
        var armor = new Option<bool>("--armor", "-a") { Description = "Write PEM-armored text instead of binary" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (atomically) instead of stdout", HelpName = "FILE" };
        var input = new Argument<string?>("INPUT") { Description = "File to encrypt (default stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("encrypt", "Encrypt a file to age recipients or with a passphrase.\n\nExample:\n  secrets age encrypt -r age1... -o secret.age secret.txt\n  tar cz dir | secrets age encrypt -R recipients.txt -a > dir.tgz.age")
        {
            recipients, recipientFiles, passphrase, armor, output, input,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var inputPath = result.GetValue(input);
            var outputPath = result.GetValue(output);
            var useArmor = result.GetValue(armor);
            var list = CollectRecipients(context, result.GetValue(recipients) ?? [], result.GetValue(recipientFiles) ?? [], result.GetValue(passphrase), inputPath);
            if (AgeIo.IsStdio(outputPath) && !useArmor && context.StdOutIsTerminal)
            {
                throw new SecretsOperationException(ErrorKind.Usage, "refusing to write binary output to a terminal")
                {
                    Hints = ["use -a for armored text, or -o FILE"],
                };
            }

            using var plaintext = AgeIo.OpenInput(context, inputPath, "input file");
            await AgeIo.WriteAsync(context, outputPath, s => AgeFile.EncryptAsync(plaintext, s, list, useArmor, cancellationToken), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<IRecipient> CollectRecipients(CliContext context, string[] recipients, string[] files, bool passphrase, string? inputPath)
    {
        if (passphrase)
        {
            if (recipients.Length > 0 || files.Length > 0)
            {
                throw new SecretsOperationException(ErrorKind.Usage, "-p cannot be combined with -r or -R")
                {
                    Hints = ["a passphrase-encrypted file has exactly one stanza (age.md §5)"],
                };
            }

            return [new ScryptRecipient(ReadNewPassphrase(context))];
        }

        if (recipients.Length == 0 && files.Length == 0)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "no recipients given")
            {
                Hints = ["pass -r age1... (see 'secrets age keygen'), -R FILE, or -p for a passphrase"],
            };
        }

        if (files.Count(AgeIo.IsStdio) + (AgeIo.IsStdio(inputPath) ? 1 : 0) > 1)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "standard input cannot be both the recipients file and the input");
        }

        var list = recipients.Select(AgeRecipients.Parse).ToList();
        foreach (var file in files)
        {
            using var reader = AgeIo.OpenText(context, file, "recipients file");
            list.AddRange(AgeRecipients.ParseFile(reader));
        }

        return list;
    }

    private static string ReadNewPassphrase(CliContext context)
    {
        var first = AgeIo.ReadPassphrase(context, "Enter passphrase: ");
        if (first.Length == 0)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "the passphrase is empty");
        }

        return AgeIo.ReadPassphrase(context, "Confirm passphrase: ") == first
            ? first
            : throw new SecretsOperationException(ErrorKind.Usage, "the passphrases do not match");
    }
}
