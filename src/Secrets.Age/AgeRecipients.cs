using Secrets.Age.Format;
using Secrets.Age.Ssh;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>Parses recipient strings and recipients files (age.md §8): <c>age1…</c>, <c>age1pq1…</c>, <c>ssh-ed25519 …</c>, <c>ssh-rsa …</c>.</summary>
public static class AgeRecipients
{
    public static IRecipient Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("ssh-ed25519 ", StringComparison.Ordinal))
        {
            return new SshEd25519Recipient(SshPublicKey.Parse(value));
        }

        if (value.StartsWith("ssh-rsa ", StringComparison.Ordinal))
        {
            return new SshRsaRecipient(SshPublicKey.Parse(value));
        }

        if (value.StartsWith("age1", StringComparison.Ordinal) && Bech32.TryDecode(value, out var hrp, out _))
        {
            switch (hrp)
            {
                case MlKem768X25519Recipient.Hrp:
                    return MlKem768X25519Recipient.Parse(value);
                case X25519Recipient.Hrp:
                    return X25519Recipient.Parse(value);
                default:
                    throw new SecretsOperationException(ErrorKind.InvalidKey, $"unsupported recipient type \"{hrp}\" in \"{Shorten(value)}\"")
                    {
                        Hints = ["age plugins and hardware-key recipients are not supported"],
                    };
            }
        }

        throw new SecretsOperationException(ErrorKind.InvalidKey, $"invalid recipient \"{Shorten(value)}\"")
        {
            Hints = ["a recipient is an age public key (age1…, age1pq1…) or an ssh public key (ssh-ed25519 …, ssh-rsa …)"],
        };
    }

    /// <summary>A recipients file: one recipient per line; empty lines and lines starting with <c>#</c> are skipped.</summary>
    public static IReadOnlyList<IRecipient> ParseFile(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var recipients = new List<IRecipient>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.TrimEnd();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            try
            {
                recipients.Add(Parse(trimmed));
            }
            catch (SecretsException e)
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"recipients file line {number}: {e.Message}", e) { Hints = e.Hints };
            }
        }

        return recipients.Count > 0
            ? recipients
            : throw new SecretsOperationException(ErrorKind.InvalidKey, "the recipients file has no recipients");
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..77] + "..." : value;
}
