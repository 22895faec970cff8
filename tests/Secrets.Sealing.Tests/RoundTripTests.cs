using System.Text;
using CsCheck;
using Secrets.Core;
using Secrets.Sealing.Manifests;
using Secrets.TestSupport;

namespace Secrets.Sealing.Tests;

public class RoundTripTests
{
    [VectorTheory(Vectors.Folder)]
    [InlineData(SealedSecretScope.Strict)]
    [InlineData(SealedSecretScope.NamespaceWide)]
    [InlineData(SealedSecretScope.ClusterWide)]
    public void Seal_then_unseal_round_trips_per_scope_through_yaml_and_json(SealedSecretScope scope)
    {
        var secret = TestSecrets.Make("app", "prod", ("password", "hunter2"u8.ToArray()), ("blob", [0, 255, 10, 13]));
        var sealedSecret = new SecretSealer(Vectors.JsCertificate()).Seal(secret, new SealOptions { Scope = scope });

        foreach (var format in new[] { ManifestFormat.Yaml, ManifestFormat.Json })
        {
            var text = ManifestWriter.Write(sealedSecret.ToDocument(), format);
            var reread = SealedSecret.FromDocument(ManifestReader.ReadObjects(text, "out").Single(), "out");
            var unsealed = Vectors.JsKeys().Unseal(reread);

            Assert.Equal(scope, reread.Scope);
            Assert.Equal("hunter2", Encoding.UTF8.GetString(unsealed.Data["password"]));
            Assert.Equal(new byte[] { 0, 255, 10, 13 }, unsealed.Data["blob"]);
            Assert.Equal("app", unsealed.Metadata.Name);
            Assert.Equal("prod", unsealed.Metadata.Namespace);
        }
    }

    [VectorFact(Vectors.Folder)]
    public void Sealed_values_have_kubeseals_layout()
    {
        var sealedValue = Vectors.JsCertificate().Seal("x"u8, SealedSecretScope.Strict, "ns", "name");
        var blob = Convert.FromBase64String(sealedValue);

        Assert.StartsWith("Ag", sealedValue, StringComparison.Ordinal);
        Assert.Equal(2 + 512 + 1 + 16, blob.Length);
        Assert.Equal([0x02, 0x00], blob[..2]);
    }

    [VectorFact(Vectors.Folder)]
    public void Each_value_gets_a_fresh_session_key()
    {
        var key = Vectors.JsCertificate();

        Assert.NotEqual(key.Seal("same"u8, SealedSecretScope.ClusterWide, null, null), key.Seal("same"u8, SealedSecretScope.ClusterWide, null, null));
    }

    [Fact]
    public void Random_values_including_binary_and_empty_round_trip_in_every_scope()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        var gen = Gen.Select(Gen.Byte.Array[0, 300], Gen.Enum<SealedSecretScope>(), Gen.String[Gen.Char.AlphaNumeric, 1, 20], Gen.String[Gen.Char.AlphaNumeric, 1, 20]);
        gen.Sample((plaintext, scope, ns, name) =>
        {
            var label = ScopeAnnotations.Label(scope, ns, name);
            var blob = sealingKey.Encrypt(plaintext, label);
            return blob.Length == 2 + 256 + plaintext.Length + 16
                && keys.TryDecrypt(blob, label, out var back)
                && back.AsSpan().SequenceEqual(plaintext);
        }, iter: 40);
    }

    [Fact]
    public void Random_labels_other_than_the_sealing_one_never_decrypt()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        Gen.Select(Gen.String[1, 30], Gen.String[1, 30]).Where((a, b) => a != b).Sample((a, b) =>
        {
            var blob = sealingKey.Encrypt("v"u8, Encoding.UTF8.GetBytes(a));
            return !keys.TryDecrypt(blob, Encoding.UTF8.GetBytes(b), out _);
        }, iter: 20);
    }

    [Fact]
    public void Secrets_of_random_items_round_trip_through_the_yaml_writer()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        var items = Gen.Dictionary(Gen.String[Gen.Char["abcxyz-._0123"], 1, 12], Gen.Byte.Array[0, 40])[1, 4];
        items.Sample(data =>
        {
            var secret = TestSecrets.Make("n", "ns", [.. data.Select(p => (p.Key, p.Value))]);
            var sealedSecret = new SecretSealer(sealingKey).Seal(secret, new SealOptions());
            var text = ManifestWriter.Write(sealedSecret.ToDocument(), ManifestFormat.Yaml);
            var unsealed = keys.Unseal(SealedSecret.FromDocument(ManifestReader.ReadObjects(text, "t").Single(), "t"));
            return unsealed.Data.Count == data.Count && data.All(p => unsealed.Data[p.Key].AsSpan().SequenceEqual(p.Value));
        }, iter: 10);
    }

    [Fact]
    public void Values_sealed_with_another_key_are_not_mine()
    {
        var (sealingKey, _) = TestKeys.Rsa2048;
        var (_, otherKeys) = TestKeys.Other2048;
        var blob = sealingKey.Encrypt("v"u8, []);

        Assert.False(otherKeys.TryDecrypt(blob, [], out var plaintext));
        Assert.Empty(plaintext);
    }

    [Fact]
    public void A_key_set_tries_every_key()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        var (_, otherKeys) = TestKeys.Other2048;
        var both = new UnsealingKeySet();
        both.Add(TestKeys.Other2048Pem, "other.pem");
        both.Add(TestKeys.Rsa2048Pem, "main.pem");
        Assert.Equal(1, keys.Count);
        Assert.Equal(1, otherKeys.Count);

        Assert.True(both.TryDecrypt(sealingKey.Encrypt("v"u8, []), [], out var plaintext));
        Assert.Equal("v"u8.ToArray(), plaintext);
        Assert.Equal("[redacted: 2 unsealing key(s)]", both.ToString());
    }

    [Fact]
    public void Truncated_or_altered_values_are_reported_not_mistaken_for_a_wrong_key()
    {
        var (sealingKey, keys) = TestKeys.Rsa2048;
        var blob = sealingKey.Encrypt("value"u8, []);

        Assert.Throws<InvalidFileException>(() => keys.TryDecrypt(blob.AsMemory(0, 100), [], out _));
        Assert.Throws<InvalidFileException>(() => keys.TryDecrypt(blob.AsMemory(0, 1), [], out _));
        var altered = (byte[])blob.Clone();
        altered[^1] ^= 1;
        Assert.Throws<IntegrityException>(() => keys.TryDecrypt(altered, [], out _));
        Assert.Throws<IntegrityException>(() => keys.TryDecrypt(blob.AsMemory(0, blob.Length - 1), [], out _));
    }
}
