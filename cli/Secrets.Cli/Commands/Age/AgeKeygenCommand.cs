using System.CommandLine;
using System.Globalization;
using System.Text;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary><c>secrets age keygen</c>: age-keygen (age.md §8), plus <c>--pq</c> for hybrid post-quantum keys.</summary>
internal static class AgeKeygenCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the key to FILE (mode 0600); an existing file is never overwritten", HelpName = "FILE" };
        var convert = new Option<bool>("-y") { Description = "Print the recipients (public keys) of the identity file INPUT (or stdin)" };
        var postQuantum = new Option<bool>("--pq") { Description = "Generate a hybrid post-quantum key (ML-KEM-768 + X25519, age1pq1...)" };
        var input = new Argument<string?>("INPUT") { Description = "With -y: the identity file (default stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("keygen", "Generate an age key pair, or print the public keys of an identity file (-y).\n\nExample:\n  secrets age keygen -o key.txt\n  secrets age keygen -y key.txt > recipients.txt")
        {
            output, convert, postQuantum, input,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var outputPath = result.GetValue(output);
            if (result.GetValue(convert))
            {
                var recipients = Recipients(context, result.GetValue(input));
                await AgeIo.WriteAsync(context, outputPath, s => s.WriteAsync(recipients, cancellationToken).AsTask(), cancellationToken, DefaultMode).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (result.GetValue(input) is not null)
            {
                throw new SecretsOperationException(ErrorKind.Usage, "keygen takes an INPUT only with -y");
            }

            await GenerateAsync(context, outputPath, result.GetValue(postQuantum), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static async Task GenerateAsync(CliContext context, string? outputPath, bool postQuantum, CancellationToken cancellationToken)
    {
        if (!AgeIo.IsStdio(outputPath) && File.Exists(context.ResolvePath(outputPath!)))
        {
            throw new SecretsOperationException(ErrorKind.OutputFailed, $"\"{outputPath}\" already exists")
            {
                Hints = ["keygen never overwrites a key file; choose another name or remove the old key first"],
            };
        }

        var (identity, recipient) = postQuantum
            ? Pair(MlKem768X25519Identity.Generate())
            : Pair(X25519Identity.Generate());
        var created = context.Time.GetLocalNow().ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        var text = Encoding.UTF8.GetBytes($"# created: {created}\n# public key: {recipient}\n{identity}\n");
        try
        {
            await AgeIo.WriteAsync(context, outputPath, s => s.WriteAsync(text, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(text);
        }

        if (!AgeIo.IsStdio(outputPath))
        {
            await context.StdErr.WriteLineAsync($"Public key: {recipient}").ConfigureAwait(false);
        }
    }

    private static (string Identity, string Recipient) Pair(X25519Identity identity) => (identity.ToString(), identity.Recipient.ToString());

    private static (string Identity, string Recipient) Pair(MlKem768X25519Identity identity) => (identity.ToString(), identity.Recipient.ToString());

    private static byte[] Recipients(CliContext context, string? path)
    {
        using var reader = AgeIo.OpenText(context, path, "identity file");
        var lines = new StringBuilder();
        foreach (var identity in AgeIdentities.Parse(reader))
        {
            lines.Append(IdentityFile.RecipientOf(identity)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(lines.ToString());
    }
}
