using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Age.Ssh;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>An <c>ssh-ed25519 AAAA…</c> public key as an age recipient (age.md §9; the reference's ssh support).</summary>
public sealed class SshEd25519Recipient : IRecipient
{
    private readonly SshPublicKey _key;
    private readonly byte[] _montgomery;

    internal SshEd25519Recipient(SshPublicKey key)
    {
        var reader = new SshWireReader(key.Blob);
        reader.ReadString();
        var point = reader.ReadString();
        if (key.Type != SshEd25519Wrap.StanzaType || !reader.AtEnd)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-ed25519 public key");
        }

        _key = key;
        _montgomery = Ed25519Montgomery.ToMontgomery(point);
    }

    /// <summary>Parses an authorized_keys line <c>ssh-ed25519 AAAA… [comment]</c>.</summary>
    public static SshEd25519Recipient Parse(string line) => new(SshPublicKey.Parse(line));

    public IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey)
    {
        var ephemeral = Curve25519.RandomScalar();
        try
        {
            var share = Curve25519.PublicKey(ephemeral);
            var shared = Curve25519.Agree(ephemeral, _montgomery)
                ?? throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-ed25519 recipient: low-order point");
            var wrapKey = SshEd25519Wrap.WrapKey(shared, share, _montgomery, _key.Blob)
                ?? throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-ed25519 recipient: low-order point");
            CryptographicOperations.ZeroMemory(shared);
            var body = FileKeyWrap.Seal(wrapKey, fileKey);
            CryptographicOperations.ZeroMemory(wrapKey);
            return [new Stanza(SshEd25519Wrap.StanzaType, [_key.Tag, StrictBase64.Encode(share)], body)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }

    public override string ToString() => $"{_key.Type} {Convert.ToBase64String(_key.Blob)}";
}
