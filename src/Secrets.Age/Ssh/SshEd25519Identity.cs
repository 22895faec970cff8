using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Age.Ssh;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// An OpenSSH ed25519 private key as an age identity (age.md §9): the X25519 scalar is SHA-512(seed)[:32]. A stanza
/// whose tag names this key but does not decrypt is an error, not "not mine".
/// </summary>
public sealed class SshEd25519Identity : IIdentity, IStanzaTypeOwner
{
    private readonly byte[] _scalar;
    private readonly byte[] _montgomery;
    private readonly SshPublicKey _publicKey;

    internal SshEd25519Identity(ReadOnlySpan<byte> seed, SshPublicKey publicKey)
    {
        var hash = SHA512.HashData(seed);
        _scalar = hash[..32];
        CryptographicOperations.ZeroMemory(hash);
        _publicKey = publicKey;
        Recipient = new SshEd25519Recipient(publicKey);
        var reader = new SshWireReader(publicKey.Blob);
        reader.ReadString();
        _montgomery = Ed25519Montgomery.ToMontgomery(reader.ReadString());
    }

    public SshEd25519Recipient Recipient { get; }

    public string StanzaType => SshEd25519Wrap.StanzaType;

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != SshEd25519Wrap.StanzaType)
            {
                continue;
            }

            if (stanza.Args.Count != 2)
            {
                throw new InvalidFileException("invalid ssh-ed25519 stanza: expected a tag and a share");
            }

            if (stanza.Args[0] != _publicKey.Tag)
            {
                continue;
            }

            if (!StrictBase64.TryDecode(stanza.Args[1], out var share) || share.Length != Curve25519.Size || stanza.Body.Length != FileKeyWrap.BodySize)
            {
                throw new InvalidFileException("invalid ssh-ed25519 stanza: bad share or body length");
            }

            var shared = Curve25519.Agree(_scalar, share) ?? throw new InvalidFileException("invalid ssh-ed25519 stanza: low-order share");
            var wrapKey = SshEd25519Wrap.WrapKey(shared, share, _montgomery, _publicKey.Blob)
                ?? throw new InvalidFileException("invalid ssh-ed25519 stanza: low-order share");
            CryptographicOperations.ZeroMemory(shared);
            var fileKey = FileKeyWrap.TryOpen(wrapKey, stanza.Body);
            CryptographicOperations.ZeroMemory(wrapKey);
            return fileKey ?? throw new IntegrityException("the ssh-ed25519 stanza addressed to this key does not decrypt");
        }

        return null;
    }

    public override string ToString() => "ssh-ed25519 identity";
}
