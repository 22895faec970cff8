using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Age.Ssh;
using Secrets.Core;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Secrets.Age;

/// <summary>An <c>ssh-rsa AAAA…</c> public key as an age recipient (age.md §9); keys under 2048 bits are refused.</summary>
public sealed class SshRsaRecipient : IRecipient
{
    private readonly SshPublicKey _key;
    private readonly RsaKeyParameters _rsa;

    internal SshRsaRecipient(SshPublicKey key)
    {
        var reader = new SshWireReader(key.Blob);
        reader.ReadString();
        var e = new BigInteger(1, reader.ReadMpint());
        var n = new BigInteger(1, reader.ReadMpint());
        if (key.Type != SshRsaOaep.StanzaType || !reader.AtEnd)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid ssh-rsa public key");
        }

        if (n.BitLength < SshRsaOaep.MinimumBits)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"ssh-rsa key of {n.BitLength} bits is too small")
            {
                Hints = ["age requires RSA keys of at least 2048 bits"],
            };
        }

        _key = key;
        _rsa = new RsaKeyParameters(false, n, e);
    }

    /// <summary>Parses an authorized_keys line <c>ssh-rsa AAAA… [comment]</c>.</summary>
    public static SshRsaRecipient Parse(string line) => new(SshPublicKey.Parse(line));

    internal string Tag => _key.Tag;

    public IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey) =>
        [new Stanza(SshRsaOaep.StanzaType, [_key.Tag], SshRsaOaep.Encrypt(_rsa, fileKey))];

    public override string ToString() => $"{_key.Type} {Convert.ToBase64String(_key.Blob)}";
}
