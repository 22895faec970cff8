using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Age.Ssh;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// An RSA private key (OpenSSH or PEM) as an age identity (age.md §9). A stanza whose tag names this key but does
/// not decrypt is an error, not "not mine".
/// </summary>
public sealed class SshRsaIdentity : IIdentity, IStanzaTypeOwner
{
    private readonly RsaPrivateCrtKeyParameters _key;

    internal SshRsaIdentity(RsaPrivateCrtKeyParameters key, SshPublicKey publicKey)
    {
        _key = key;
        Recipient = new SshRsaRecipient(publicKey);
    }

    public SshRsaRecipient Recipient { get; }

    public string StanzaType => SshRsaOaep.StanzaType;

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != SshRsaOaep.StanzaType)
            {
                continue;
            }

            if (stanza.Args.Count != 1)
            {
                throw new InvalidFileException("invalid ssh-rsa stanza: expected exactly one tag argument");
            }

            if (stanza.Args[0] != Recipient.Tag)
            {
                continue;
            }

            var fileKey = SshRsaOaep.TryDecrypt(_key, stanza.Body);
            return fileKey is { Length: 16 } ? fileKey : throw new IntegrityException("the ssh-rsa stanza addressed to this key does not decrypt");
        }

        return null;
    }

    public override string ToString() => "ssh-rsa identity";
}
