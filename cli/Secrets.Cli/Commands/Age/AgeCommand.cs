using System.CommandLine;

namespace Secrets.Cli.Commands.Age;

/// <summary><c>secrets age</c>: age-encryption.org/v1 files with age's command-line semantics (docs/age.md).</summary>
internal static class AgeCommand
{
    public static Command Create(CliContext context) =>
        new("age", "Encrypt and decrypt age files (age-encryption.org/v1), compatible with age, rage and typage.\n\nExample:\n  secrets age keygen -o key.txt\n  secrets age encrypt -r age1... -o secret.age secret.txt\n  secrets age decrypt -i key.txt secret.age")
        {
            AgeKeygenCommand.Create(context),
            AgeEncryptCommand.Create(context),
            AgeDecryptCommand.Create(context),
        };
}
