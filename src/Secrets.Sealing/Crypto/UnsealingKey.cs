using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Secrets.Sealing.Crypto;

/// <summary>
/// One controller private key ready for unsealing: OpenSSL does the RSA-OAEP private operation where it can
/// (<see cref="OpenSslOaep"/>), BouncyCastle's blinded engine everywhere else; both give the same answers.
/// </summary>
internal sealed class UnsealingKey(RsaPrivateCrtKeyParameters parameters)
{
    private readonly SafeEvpPKeyHandle? _native = OpenSslOaep.TryImport(parameters);

    public RsaPrivateCrtKeyParameters Parameters { get; } = parameters;

    /// <summary>Whether OpenSSL runs the private operation (reported by benchmarks).</summary>
    public bool IsNative => _native is not null;

    /// <summary>Recovers the 32-byte session key; false when the key or the label does not match.</summary>
    public bool TryDecryptSessionKey(byte[] label, ReadOnlyMemory<byte> rsaCiphertext, out byte[] sessionKey)
    {
        if (_native is null)
        {
            return HybridEncryption.TryDecryptSessionKey(Parameters, label, rsaCiphertext, out sessionKey);
        }

        sessionKey = [];
        Span<byte> buffer = stackalloc byte[rsaCiphertext.Length];
        try
        {
            if (rsaCiphertext.Length != (Parameters.Modulus.BitLength + 7) / 8
                || !OpenSslOaep.TryDecrypt(_native, label, rsaCiphertext.Span, buffer, out var written)
                || written != HybridEncryption.SessionKeySize)
            {
                return false;
            }

            sessionKey = buffer[..written].ToArray();
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
