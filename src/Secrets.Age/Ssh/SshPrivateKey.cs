using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Core;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Secrets.Age.Ssh;

/// <summary>
/// Reads ssh private keys as age identities: the OpenSSH format (PROTOCOL.key: "openssh-key-v1", unencrypted) for
/// ed25519 and RSA keys, and PEM RSA keys (PKCS#1 / PKCS#8). Passphrase-protected keys are refused with a hint.
/// </summary>
internal static class SshPrivateKey
{
    private const string OpenSshBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string OpenSshEnd = "-----END OPENSSH PRIVATE KEY-----";

    public static bool LooksLikePrivateKey(string text) =>
        text.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal) && text.Contains("PRIVATE KEY-----", StringComparison.Ordinal);

    public static IIdentity Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith(OpenSshBegin, StringComparison.Ordinal))
        {
            return ParseOpenSsh(trimmed);
        }

        if (trimmed.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw Encrypted();
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(trimmed);
        }
        catch (ArgumentException e)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "unsupported ssh private key: only ed25519 and RSA keys are supported", e);
        }

        var p = rsa.ExportParameters(includePrivateParameters: true);
        return RsaIdentity(
            new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D),
            new BigInteger(1, p.P), new BigInteger(1, p.Q), new BigInteger(1, p.InverseQ),
            publicBlob: null);
    }

    private static IIdentity ParseOpenSsh(string text)
    {
        var end = text.IndexOf(OpenSshEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Malformed("the END line is missing");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(text[OpenSshBegin.Length..end]);
        }
        catch (FormatException e)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "malformed OpenSSH private key: bad base64", e);
        }

        var magic = "openssh-key-v1\0"u8;
        if (!data.AsSpan().StartsWith(magic))
        {
            throw Malformed("bad magic");
        }

        var reader = new SshWireReader(data[magic.Length..]);
        var cipher = reader.ReadText();
        reader.ReadString(); // kdf name
        reader.ReadString(); // kdf options
        if (cipher != "none")
        {
            throw Encrypted();
        }

        if (reader.ReadUInt32() != 1)
        {
            throw Malformed("only files with one key are supported");
        }

        var publicBlob = reader.ReadString();
        var secret = new SshWireReader(reader.ReadString());
        if (secret.ReadUInt32() != secret.ReadUInt32())
        {
            throw Malformed("check bytes differ");
        }

        var type = secret.ReadText();
        switch (type)
        {
            case SshEd25519Wrap.StanzaType:
                secret.ReadString(); // public key
                var privateKey = secret.ReadString(); // seed || public key
                if (privateKey.Length != 64)
                {
                    throw Malformed("the ed25519 private key must be 64 bytes");
                }

                var identity = new SshEd25519Identity(privateKey.AsSpan(0, 32), new SshPublicKey(type, publicBlob));
                CryptographicOperations.ZeroMemory(privateKey);
                return identity;
            case SshRsaOaep.StanzaType:
                var n = new BigInteger(1, secret.ReadMpint());
                var e = new BigInteger(1, secret.ReadMpint());
                var d = new BigInteger(1, secret.ReadMpint());
                var iqmp = new BigInteger(1, secret.ReadMpint());
                var p = new BigInteger(1, secret.ReadMpint());
                var q = new BigInteger(1, secret.ReadMpint());
                return RsaIdentity(n, e, d, p, q, iqmp, publicBlob);
            default:
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"unsupported ssh key type \"{type}\"")
                {
                    Hints = ["age supports ssh-ed25519 and ssh-rsa keys"],
                };
        }
    }

    private static SshRsaIdentity RsaIdentity(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q, BigInteger qInv, byte[]? publicBlob)
    {
        var parameters = new RsaPrivateCrtKeyParameters(n, e, d, p, q, d.Mod(p.Subtract(BigInteger.One)), d.Mod(q.Subtract(BigInteger.One)), qInv);
        return new SshRsaIdentity(parameters, new SshPublicKey(SshRsaOaep.StanzaType, publicBlob ?? RsaBlob(n, e)));
    }

    private static byte[] RsaBlob(BigInteger n, BigInteger e)
    {
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes(SshRsaOaep.StanzaType));
        WriteString(blob, e.ToByteArray()); // BouncyCastle's two's-complement form is the SSH mpint encoding
        WriteString(blob, n.ToByteArray());
        return blob.ToArray();
    }

    private static void WriteString(MemoryStream stream, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        stream.Write(length);
        stream.Write(value);
    }

    private static SecretsOperationException Malformed(string reason) => new(ErrorKind.InvalidKey, $"malformed OpenSSH private key: {reason}");

    private static SecretsOperationException Encrypted() => new(ErrorKind.InvalidKey, "the ssh private key is passphrase-protected, which is not supported")
    {
        Hints = ["make an unprotected copy with: ssh-keygen -p -N \"\" -f COPY_OF_KEY", "or encrypt to an age key instead of an ssh key"],
    };
}
