using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Secrets.Age.Ssh;

/// <summary>
/// RSA-OAEP with SHA-256, MGF1-SHA-256 and the label "age-encryption.org/v1/ssh-rsa" (age.md §9). The BCL's OAEP has
/// no label parameter, so this uses BouncyCastle.
/// </summary>
internal static class SshRsaOaep
{
    public const string StanzaType = "ssh-rsa";
    public const int MinimumBits = 2048;

    private static readonly byte[] Label = "age-encryption.org/v1/ssh-rsa"u8.ToArray();

    public static byte[] Encrypt(RsaKeyParameters publicKey, ReadOnlySpan<byte> fileKey)
    {
        var oaep = Create();
        oaep.Init(true, new ParametersWithRandom(publicKey, new SecureRandom()));
        return oaep.ProcessBlock(fileKey.ToArray(), 0, fileKey.Length);
    }

    /// <summary>The file key, or null when the ciphertext does not decrypt under this key.</summary>
    public static byte[]? TryDecrypt(RsaKeyParameters privateKey, byte[] body)
    {
        var oaep = Create();
        oaep.Init(false, privateKey);
        try
        {
            return oaep.ProcessBlock(body, 0, body.Length);
        }
        catch (InvalidCipherTextException)
        {
            return null;
        }
        catch (DataLengthException)
        {
            return null;
        }
    }

    private static OaepEncoding Create() => new(new RsaEngine(), new Sha256Digest(), new Sha256Digest(), Label);
}
