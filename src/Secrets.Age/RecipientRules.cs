using Secrets.Core;

namespace Secrets.Age;

/// <summary>Which recipients may share a file (age-plugin.md labels; age.md §5, §10).</summary>
internal static class RecipientRules
{
    public static void Check(IReadOnlyList<IRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "no recipients given");
        }

        var first = Labels(recipients[0]);
        foreach (var recipient in recipients.Skip(1))
        {
            if (!Labels(recipient).SetEquals(first))
            {
                var scrypt = recipients.Any(r => r is ScryptRecipient);
                throw new SecretsOperationException(
                    ErrorKind.Usage,
                    scrypt ? "a passphrase cannot be combined with other recipients" : "post-quantum recipients cannot be mixed with classic ones")
                {
                    Hints = [scrypt ? "encrypt with either -p or -r/-R" : "a classic recipient would undo the post-quantum protection: use only age1pq1… recipients"],
                };
            }
        }
    }

    private static IReadOnlySet<string> Labels(IRecipient recipient) =>
        recipient is ILabeledRecipient labeled ? labeled.Labels : new HashSet<string>();
}
