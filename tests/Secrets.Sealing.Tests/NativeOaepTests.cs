using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Sealing.Crypto;

namespace Secrets.Sealing.Tests;

/// <summary>The OpenSSL fast path and the BouncyCastle path must agree on every outcome.</summary>
public class NativeOaepTests
{
    private static readonly RSAParameters Key = RsaKeys.ReadPrivateKeys(TestKeys.Rsa2048Pem, "test.pem")[0];
    private static readonly RSAParameters OtherKey = RsaKeys.ReadPrivateKeys(TestKeys.Other2048Pem, "other.pem")[0];

    /// <summary>BouncyCastle's form of <see cref="Key"/> (ToPrivate clears what it is given, so from a fresh read).</summary>
    private static RsaPrivateCrtKeyParameters Managed => RsaKeys.ToPrivate(RsaKeys.ReadPrivateKeys(TestKeys.Rsa2048Pem, "test.pem")[0]);

    private static RsaKeyParameters Public => new(false, Managed.Modulus, Managed.PublicExponent);

    [Fact]
    public void OpenSslIsUsedOnLinux()
    {
        Assert.Equal(OperatingSystem.IsLinux(), new UnsealingKey(Key).IsNative);
    }

    [Theory]
    [InlineData("")]
    [InlineData("default")]
    [InlineData("ns/name")]
    public void BothPathsRecoverTheSessionKey(string labelText)
    {
        var label = Encoding.UTF8.GetBytes(labelText);
        var blob = HybridEncryption.Encrypt(Public, label, "value"u8);
        Assert.True(HybridEncryption.TrySplit(blob, out var rsaCiphertext, out _));

        Assert.True(new UnsealingKey(Key).TryDecryptSessionKey(label, rsaCiphertext, out var native));
        Assert.True(HybridEncryption.TryDecryptSessionKey(Managed, label, rsaCiphertext, out var managed));
        Assert.Equal(managed, native);
        Assert.Equal(HybridEncryption.SessionKeySize, native.Length);
    }

    [Fact]
    public void FingerprintsAgreeBetweenTheBclAndBouncyCastleForms()
    {
        Assert.Equal(RsaKeys.Fingerprint(Managed), RsaKeys.Fingerprint(Key));
        Assert.Equal(RsaKeys.Fingerprint(Public), RsaKeys.Fingerprint(Key));
        Assert.NotEqual(RsaKeys.Fingerprint(Key), RsaKeys.Fingerprint(OtherKey));
    }

    [Fact]
    public void WrongLabelWrongKeyAndGarbageAreAUniformFalse()
    {
        var label = "ns/name"u8.ToArray();
        var blob = HybridEncryption.Encrypt(Public, label, "value"u8);
        Assert.True(HybridEncryption.TrySplit(blob, out var rsaCiphertext, out _));
        var garbage = RandomNumberGenerator.GetBytes(rsaCiphertext.Length);
        garbage[0] = 0; // below the modulus, so only the padding check can reject it

        Assert.False(new UnsealingKey(Key).TryDecryptSessionKey("ns/other"u8.ToArray(), rsaCiphertext, out _));
        Assert.False(new UnsealingKey(OtherKey).TryDecryptSessionKey(label, rsaCiphertext, out _));
        Assert.False(new UnsealingKey(Key).TryDecryptSessionKey(label, garbage, out _));
        Assert.False(new UnsealingKey(Key).TryDecryptSessionKey(label, rsaCiphertext[..^1], out _));
        // After failures the thread's OpenSSL error queue is clean: the BCL's own RSA still works.
        using var rsa = RSA.Create(2048);
        Assert.NotEmpty(rsa.Encrypt("x"u8.ToArray(), RSAEncryptionPadding.OaepSHA256));
    }
}
