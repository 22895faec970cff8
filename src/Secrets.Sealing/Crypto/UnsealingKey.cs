using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Secrets.Sealing.Crypto;

/// <summary>
/// One controller private key ready for unsealing: OpenSSL does the RSA-OAEP private operation where it can
/// (<see cref="OpenSslOaep"/>), BouncyCastle's blinded engine everywhere else; both give the same answers.
/// </summary>
/// <remarks>
/// BouncyCastle's key objects are built only for the fallback: its constructor proves the modulus composite with
/// Miller-Rabin rounds in managed code, about 0.2 s of one core for a 4096-bit key before the first value could be
/// unsealed (a fifth of unsealing 1,000 values on two cores). OpenSSL takes the BCL's parameters directly.
/// </remarks>
internal sealed class UnsealingKey
{
    private readonly SafeEvpPKeyHandle? _native;
    private readonly RsaPrivateCrtKeyParameters? _managed;
    private readonly int _modulusBytes;

    /// <summary>Copies what it needs from <paramref name="parameters"/>; the caller still owns (and clears) them.</summary>
    public UnsealingKey(RSAParameters parameters)
    {
        _modulusBytes = parameters.Modulus?.Length ?? throw new CryptographicException("incomplete RSA key");
        _native = OpenSslOaep.TryImport(parameters);
        _managed = _native is null ? RsaKeys.ToPrivate(Copy(parameters)) : null;
    }

    /// <summary>Whether OpenSSL runs the private operation (reported by benchmarks).</summary>
    public bool IsNative => _native is not null;

    /// <summary>Recovers the 32-byte session key; false when the key or the label does not match.</summary>
    public bool TryDecryptSessionKey(byte[] label, ReadOnlyMemory<byte> rsaCiphertext, out byte[] sessionKey)
    {
        if (_native is null)
        {
            return HybridEncryption.TryDecryptSessionKey(_managed!, label, rsaCiphertext, out sessionKey);
        }

        sessionKey = [];
        Span<byte> buffer = stackalloc byte[rsaCiphertext.Length];
        try
        {
            if (rsaCiphertext.Length != _modulusBytes
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

    /// <summary>A copy for <see cref="RsaKeys.ToPrivate"/>, which clears what it is given.</summary>
    private static RSAParameters Copy(RSAParameters p) => new()
    {
        Modulus = p.Modulus,
        Exponent = p.Exponent,
        D = (byte[]?)p.D?.Clone(),
        P = (byte[]?)p.P?.Clone(),
        Q = (byte[]?)p.Q?.Clone(),
        DP = (byte[]?)p.DP?.Clone(),
        DQ = (byte[]?)p.DQ?.Clone(),
        InverseQ = (byte[]?)p.InverseQ?.Clone(),
    };
}
