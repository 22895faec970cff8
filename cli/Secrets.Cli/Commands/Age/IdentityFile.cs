using System.Security.Cryptography;
using System.Text;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary>
/// An identity file as age reads it (age.md §8): age keys or an ssh private key, or such a file itself encrypted with
/// a passphrase (<c>age -p -o key.age key.txt</c>), which is decrypted after asking for its passphrase.
/// </summary>
internal static class IdentityFile
{
    private static readonly byte[] BinaryMagic = "age-encryption.org/v1\n"u8.ToArray();
    private static readonly byte[] ArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----"u8.ToArray();

    public static IReadOnlyList<IIdentity> Read(CliContext context, string path)
    {
        var content = ReadAll(context, path);
        try
        {
            if (IsAgeFile(content))
            {
                var encrypted = content;
                try
                {
                    content = AgeFile.Decrypt(encrypted, [new TerminalPassphraseIdentity(context, $"Enter passphrase for identity file \"{path}\": ")]);
                }
                catch (SecretsException e) when (e.Kind == ErrorKind.NoMatchingKey)
                {
                    throw new SecretsOperationException(ErrorKind.NoMatchingKey, $"cannot decrypt identity file \"{path}\": wrong passphrase, or it is not encrypted with a passphrase", e);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(encrypted);
                }
            }

            using var reader = new StreamReader(new MemoryStream(content, writable: false), Encoding.UTF8);
            return AgeIdentities.Parse(reader);
        }
        catch (SecretsException e) when (e.Kind == ErrorKind.InvalidKey)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"identity file \"{path}\": {e.Message}", e) { Hints = e.Hints };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>The recipient an identity decrypts for (age-keygen -y, and encrypting with <c>-i</c>).</summary>
    public static IRecipient RecipientOf(IIdentity identity) => identity switch
    {
        X25519Identity x => x.Recipient,
        MlKem768X25519Identity pq => pq.Recipient,
        SshEd25519Identity ed => ed.Recipient,
        SshRsaIdentity rsa => rsa.Recipient,
        _ => throw new SecretsOperationException(ErrorKind.InvalidKey, "this identity type has no recipient"),
    };

    private static byte[] ReadAll(CliContext context, string path)
    {
        using var input = AgeIo.OpenInput(context, path, "identity file");
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool IsAgeFile(byte[] content) =>
        content.AsSpan().StartsWith(BinaryMagic) || content.AsSpan().TrimStart(" \t\r\n"u8).StartsWith(ArmorBegin);
}
