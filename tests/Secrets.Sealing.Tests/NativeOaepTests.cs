using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Sealing.Crypto;

namespace Secrets.Sealing.Tests;

/// <summary>The OpenSSL fast path and the BouncyCastle path must agree on every outcome.</summary>
public class NativeOaepTests
{
    private static readonly RsaPrivateCrtKeyParameters Key = RsaKeys.ReadPrivateKeys(TestKeys.Rsa2048Pem, "test.pem")[0];
    private static readonly RsaPrivateCrtKeyParameters OtherKey = RsaKeys.ReadPrivateKeys(TestKeys.Other2048Pem, "other.pem")[0];

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
        var blob = HybridEncryption.Encrypt(new RsaKeyParameters(false, Key.Modulus, Key.PublicExponent), label, "value"u8);
        Assert.True(HybridEncryption.TrySplit(blob, out var rsaCiphertext, out _));

        Assert.True(new UnsealingKey(Key).TryDecryptSessionKey(label, rsaCiphertext, out var native));
        Assert.True(HybridEncryption.TryDecryptSessionKey(Key, label, rsaCiphertext, out var managed));
        Assert.Equal(managed, native);
        Assert.Equal(HybridEncryption.SessionKeySize, native.Length);
    }

    [Fact]
    public void WrongLabelWrongKeyAndGarbageAreAUniformFalse()
    {
        var label = "ns/name"u8.ToArray();
        var blob = HybridEncryption.Encrypt(new RsaKeyParameters(false, Key.Modulus, Key.PublicExponent), label, "value"u8);
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
