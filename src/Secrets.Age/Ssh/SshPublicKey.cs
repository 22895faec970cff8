using System.Security.Cryptography;
using Secrets.Age.Format;
using Secrets.Core;

namespace Secrets.Age.Ssh;

/// <summary>
/// An ssh public key as age uses it (age.md §9): the wire blob of an authorized_keys line and the stanza tag,
/// base64(SHA-256(blob)[:4]), which makes ssh stanzas non-anonymous.
/// </summary>
internal sealed record SshPublicKey(string Type, byte[] Blob)
{
    public string Tag => StrictBase64.Encode(SHA256.HashData(Blob).AsSpan(0, 4));

    /// <summary>Parses <c>TYPE BASE64 [comment]</c>.</summary>
    public static SshPublicKey Parse(string line)
    {
        var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        byte[] blob;
        try
        {
            blob = parts.Length >= 2 ? Convert.FromBase64String(parts[1]) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh public key: expected \"TYPE BASE64 [comment]\"");
        }

        var type = new SshWireReader(blob).ReadText();
        if (type != parts[0])
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"invalid ssh public key: the key type \"{parts[0]}\" does not match its data");
        }

        return new SshPublicKey(type, blob);
    }
}
