using Secrets.Age.Ssh;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// Parses identity files (age.md §8): age key files (comments, blank lines, several identities, X25519 and hybrid)
/// or a single ssh private key (OpenSSH or PEM).
/// </summary>
public static class AgeIdentities
{
    // age reads at most 16 MiB of an identity file.
    private const int MaxFileLength = 16 * 1024 * 1024;

    public static IReadOnlyList<IIdentity> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = ReadBounded(reader);
        if (SshPrivateKey.LooksLikePrivateKey(text))
        {
            return [SshPrivateKey.Parse(text)];
        }

        var identities = new List<IIdentity>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                identities.Add(ParseLine(line, i + 1));
            }
            catch (SecretsException e) when (!e.Message.StartsWith("identity file line", StringComparison.Ordinal))
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"identity file line {i + 1}: {e.Message}", e) { Hints = e.Hints };
            }
        }

        return identities.Count > 0
            ? identities
            : throw new SecretsOperationException(ErrorKind.InvalidKey, "the identity file has no identities");
    }

    /// <summary>One identity string: <c>AGE-SECRET-KEY-1…</c> or <c>AGE-SECRET-KEY-PQ-1…</c>.</summary>
    public static IIdentity ParseIdentity(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseLine(text.Trim(), 1);
    }

    private static string ReadBounded(TextReader reader)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = reader.ReadBlock(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxFileLength)
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, "the identity file is larger than 16 MiB");
            }
        }

        return text.ToString();
    }

    private static IIdentity ParseLine(string line, int number)
    {
        if (line.StartsWith(MlKem768X25519Identity.Hrp + "1", StringComparison.Ordinal))
        {
            return MlKem768X25519Identity.Parse(line);
        }

        if (line.StartsWith(X25519Identity.Hrp + "1", StringComparison.Ordinal))
        {
            return X25519Identity.Parse(line);
        }

        var hint = line.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal)
            ? "age plugins are not supported"
            : line.StartsWith("age1", StringComparison.Ordinal)
                ? "this looks like a recipient (public key); pass it with -r when encrypting"
                : "an identity file holds AGE-SECRET-KEY-1… lines, # comments and blank lines, or one ssh private key";
        throw new SecretsOperationException(ErrorKind.InvalidKey, $"identity file line {number}: not a valid identity") { Hints = [hint] };
    }
}
