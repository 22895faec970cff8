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
        var identities = new Option<string[]>("--identity", "-i") { Description = "Also encrypt to the recipients of the identity file FILE (age -e -i); repeatable", HelpName = "FILE" };
        var encrypt = new Option<bool>("--encrypt", "-e") { Description = "Accepted for age compatibility (age needs it with -i); this command always encrypts" };
        var passphrase = new Option<bool>("--passphrase", "-p") { Description = "Encrypt with a passphrase read from the terminal" };
        var armor = new Option<bool>("--armor", "-a") { Description = "Write PEM-armored text instead of binary" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (atomically) instead of stdout", HelpName = "FILE" };
        var input = new Argument<string?>("INPUT") { Description = "File to encrypt (default stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("encrypt", "Encrypt a file to age recipients or with a passphrase.\n\nExample:\n  secrets age encrypt -r age1... -o secret.age secret.txt\n  tar cz dir | secrets age encrypt -R recipients.txt -a > dir.tgz.age\n  secrets age encrypt -i key.txt -o backup.age backup.tar")
        {
            recipients, recipientFiles, identities, encrypt, passphrase, armor, output, input,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var inputPath = result.GetValue(input);
            var outputPath = result.GetValue(output);
            var useArmor = result.GetValue(armor);
            var sources = new RecipientSources(result.GetValue(recipients) ?? [], result.GetValue(recipientFiles) ?? [], result.GetValue(identities) ?? []);
            var list = CollectRecipients(context, sources, result.GetValue(passphrase), inputPath);
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

    private static List<IRecipient> CollectRecipients(CliContext context, RecipientSources sources, bool passphrase, string? inputPath)
    {
        if (passphrase)
        {
            if (!sources.IsEmpty)
            {
                throw new SecretsOperationException(ErrorKind.Usage, "-p cannot be combined with -r, -R or -i")
                {
                    Hints = ["a passphrase-encrypted file has exactly one stanza (age.md §5)"],
                };
            }

            return [new ScryptRecipient(ReadNewPassphrase(context))];
        }

        if (sources.IsEmpty)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "no recipients given")
            {
                Hints = ["pass -r age1... (see 'secrets age keygen'), -R FILE, -i IDENTITY_FILE, or -p for a passphrase"],
            };
        }

        if (sources.Files.Concat(sources.IdentityFiles).Count(AgeIo.IsStdio) + (AgeIo.IsStdio(inputPath) ? 1 : 0) > 1)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "standard input can be only one of the recipients files, identity files and input");
        }

        var list = sources.Recipients.Select(AgeRecipients.Parse).ToList();
        foreach (var file in sources.Files)
        {
            using var reader = AgeIo.OpenText(context, file, "recipients file");
            list.AddRange(AgeRecipients.ParseFile(reader));
        }

        // age.md §8: with an explicit -e, -i encrypts to the identities' own recipients (a passphrase-protected
        // identity file is decrypted first, as for age -d).
        foreach (var file in sources.IdentityFiles)
        {
            list.AddRange(IdentityFile.Read(context, file).Select(IdentityFile.RecipientOf));
        }

        return list;
    }

    private sealed record RecipientSources(string[] Recipients, string[] Files, string[] IdentityFiles)
    {
        public bool IsEmpty => Recipients.Length == 0 && Files.Length == 0 && IdentityFiles.Length == 0;
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
