using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Secrets.Age.PostQuantum;

/// <summary>
/// X-Wing, the ML-KEM-768 + X25519 hybrid KEM that HPKE calls MLKEM768-X25519 (age.md §10), as specified by
/// draft-connolly-cfrg-xwing-kem-06 and later (the version typage's @noble/post-quantum and Go's hpke-pq use):
/// the 32-byte seed is expanded with SHAKE256 to 96 bytes (ML-KEM d‖z, then the X25519 scalar), and the shared
/// secret is SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ XWingLabel) with the label last.
/// </summary>
/// <remarks>
/// BouncyCastle keeps its own copies of the ML-KEM key material inside its key objects; those cannot be wiped from
/// here and are left to the garbage collector. Every buffer this class owns is zeroed before it returns.
/// </remarks>
internal static class XWing
{
    public const int SeedSize = 32;
    public const int PublicKeySize = MlKemPublicKeySize + X25519.PointSize;
    public const int CiphertextSize = MlKemCiphertextSize + X25519.PointSize;
    public const int SharedSecretSize = 32;

    /// <summary>Encapsulation randomness: 32 bytes of ML-KEM message m, then 32 bytes of X25519 ephemeral scalar.</summary>
    public const int EncapsulationSeedSize = MlKemMessageSize + X25519.ScalarSize;

    private const int MlKemSeedSize = 64;
    private const int MlKemPublicKeySize = 1184;
    private const int MlKemCiphertextSize = 1088;
    private const int MlKemMessageSize = 32;
    private const int ExpandedSeedSize = MlKemSeedSize + X25519.ScalarSize;

    // The X-Wing combiner label "\.//^\" (draft-connolly-cfrg-xwing-kem §5.3), hashed after the inputs.
    private static ReadOnlySpan<byte> XWingLabel => [0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c];

    private static MLKemParameters Parameters => MLKemParameters.ml_kem_768;

    /// <summary>The 1216-byte encapsulation key pk_M ‖ pk_X for a 32-byte seed.</summary>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[PublicKeySize];
        var mlKemSeed = new byte[MlKemSeedSize];
        Span<byte> x25519Scalar = stackalloc byte[X25519.ScalarSize];
        try
        {
            ExpandSeed(seed, mlKemSeed, x25519Scalar);
            var privateKey = MLKemPrivateKeyParameters.FromSeed(Parameters, mlKemSeed);
            privateKey.GetPublicKeyEncoded().CopyTo(publicKey, 0);
            X25519.ScalarMultBase(x25519Scalar, publicKey.AsSpan(MlKemPublicKeySize));
            return publicKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mlKemSeed);
            CryptographicOperations.ZeroMemory(x25519Scalar);
        }
    }

    /// <summary>
    /// Deterministic X-Wing encapsulation with the given 64 bytes of randomness (draft §5.4 EncapsulateDerand).
    /// Returns false when the public key is unusable: its ML-KEM part fails the FIPS 203 modulus check or its
    /// X25519 part is a low-order point (all-zero shared secret).
    /// </summary>
    public static bool TryEncapsulate(
        ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> encapsulationSeed, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        if (publicKey.Length != PublicKeySize || encapsulationSeed.Length != EncapsulationSeedSize
            || ciphertext.Length != CiphertextSize || sharedSecret.Length != SharedSecretSize)
        {
            throw new ArgumentException("wrong X-Wing buffer sizes");
        }

        MLKemPublicKeyParameters mlKemKey;
        try
        {
            mlKemKey = MLKemPublicKeyParameters.FromEncoding(Parameters, publicKey[..MlKemPublicKeySize].ToArray());
        }
        catch (ArgumentException)
        {
            // FIPS 203 §7.2 encapsulation key check: a coefficient is not reduced modulo q.
            return false;
        }

        var publicX = publicKey[MlKemPublicKeySize..];
        var ephemeralScalar = encapsulationSeed[MlKemMessageSize..];
        Span<byte> sharedM = stackalloc byte[SharedSecretSize];
        Span<byte> sharedX = stackalloc byte[X25519.PointSize];
        try
        {
            var message = encapsulationSeed[..MlKemMessageSize].ToArray();
            try
            {
                var encapsulator = new MLKemEncapsulator(Parameters);
                encapsulator.Init(new ParametersWithRandom(mlKemKey, new SecureRandom(new PresetRandomGenerator(message))));
                encapsulator.Encapsulate(ciphertext[..MlKemCiphertextSize], sharedM);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(message);
            }

            var cipherX = ciphertext[MlKemCiphertextSize..];
            X25519.ScalarMultBase(ephemeralScalar, cipherX);
            if (!X25519.CalculateAgreement(ephemeralScalar, publicX, sharedX))
            {
                return false;
            }

            Combine(sharedM, sharedX, cipherX, publicX, sharedSecret);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedM);
            CryptographicOperations.ZeroMemory(sharedX);
        }
    }

    /// <summary>
    /// X-Wing decapsulation (draft §5.5). ML-KEM rejects a forged ciphertext implicitly (a pseudorandom secret, so
    /// the AEAD above fails); returns false only when the X25519 part of the ciphertext is a low-order point, which
    /// makes the X25519 shared secret all zero — age and Go's crypto/ecdh reject that as a malformed share.
    /// </summary>
    public static bool TryDecapsulate(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        if (seed.Length != SeedSize || ciphertext.Length != CiphertextSize || sharedSecret.Length != SharedSecretSize)
        {
            throw new ArgumentException("wrong X-Wing buffer sizes");
        }

        var mlKemSeed = new byte[MlKemSeedSize];
        Span<byte> x25519Scalar = stackalloc byte[X25519.ScalarSize];
        Span<byte> publicX = stackalloc byte[X25519.PointSize];
        Span<byte> sharedM = stackalloc byte[SharedSecretSize];
        Span<byte> sharedX = stackalloc byte[X25519.PointSize];
        try
        {
            ExpandSeed(seed, mlKemSeed, x25519Scalar);
            var cipherX = ciphertext[MlKemCiphertextSize..];
            if (!X25519.CalculateAgreement(x25519Scalar, cipherX, sharedX))
            {
                return false;
            }

            var decapsulator = new MLKemDecapsulator(Parameters);
            decapsulator.Init(MLKemPrivateKeyParameters.FromSeed(Parameters, mlKemSeed));
            decapsulator.Decapsulate(ciphertext[..MlKemCiphertextSize], sharedM);
            X25519.ScalarMultBase(x25519Scalar, publicX);
            Combine(sharedM, sharedX, cipherX, publicX, sharedSecret);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mlKemSeed);
            CryptographicOperations.ZeroMemory(x25519Scalar);
            CryptographicOperations.ZeroMemory(sharedM);
            CryptographicOperations.ZeroMemory(sharedX);
        }
    }

    // draft §5.2: expanded = SHAKE256(sk, 96); d‖z = expanded[0:64]; sk_X = expanded[64:96].
    private static void ExpandSeed(ReadOnlySpan<byte> seed, Span<byte> mlKemSeed, Span<byte> x25519Scalar)
    {
        Span<byte> expanded = stackalloc byte[ExpandedSeedSize];
        try
        {
            var shake = new ShakeDigest(256);
            shake.BlockUpdate(seed);
            shake.OutputFinal(expanded);
            expanded[..MlKemSeedSize].CopyTo(mlKemSeed);
            expanded[MlKemSeedSize..].CopyTo(x25519Scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    // draft §5.3 Combiner: SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ XWingLabel). The digest wipes its state in DoFinal.
    private static void Combine(
        ReadOnlySpan<byte> sharedM, ReadOnlySpan<byte> sharedX, ReadOnlySpan<byte> cipherX, ReadOnlySpan<byte> publicX,
        Span<byte> sharedSecret)
    {
        var sha3 = new Sha3Digest(256);
        sha3.BlockUpdate(sharedM);
        sha3.BlockUpdate(sharedX);
        sha3.BlockUpdate(cipherX);
        sha3.BlockUpdate(publicX);
        sha3.BlockUpdate(XWingLabel);
        sha3.DoFinal(sharedSecret);
    }
}
