using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.TestSupport.Tests.Aws;

public sealed class FakeKmsTests
{
    private static MemoryStream Bytes(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Text(MemoryStream stream) => System.Text.Encoding.UTF8.GetString(stream.ToArray());

    [Theory]
    [InlineData("id")]
    [InlineData("arn")]
    [InlineData("alias")]
    [InlineData("alias-arn")]
    public async Task Encrypt_then_decrypt_without_key_id_round_trips_for_every_key_reference(string reference)
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey("alias/sops");
        using var kms = AwsClients.Kms(fake);
        var keyId = reference switch
        {
            "id" => key.KeyId,
            "arn" => key.Arn,
            "alias" => "alias/sops",
            _ => $"arn:aws:kms:{fake.Region}:{fake.AccountId}:alias/sops",
        };

        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = Bytes("data key") });
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });

        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.Equal("data key", Text(decrypted.Plaintext));
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
        Assert.Contains(fake.Requests, r => r.Target == "TrentService.Decrypt" && r.AccessKeyId == AwsClients.AccessKeyId && r.SigningRegion == fake.Region);
    }

    [Fact]
    public async Task Encryption_context_is_bound_and_a_mismatch_is_invalid_ciphertext()
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey();
        using var kms = AwsClients.Kms(fake);
        var context = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x"), EncryptionContext = context });

        var reordered = await kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(encrypted.CiphertextBlob.ToArray()),
            EncryptionContext = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
        });
        Assert.Equal("x", Text(reordered.Plaintext));

        await Assert.ThrowsAsync<InvalidCiphertextException>(() => kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(encrypted.CiphertextBlob.ToArray()),
            EncryptionContext = new Dictionary<string, string> { ["a"] = "1" },
        }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = Bytes("garbage that is not a blob at all") }));
    }

    [Fact]
    public async Task Generate_data_key_returns_a_plaintext_that_decrypt_recovers()
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey();
        using var kms = AwsClients.Kms(fake);

        var dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob, KeyId = key.Arn });

        Assert.Equal(32, dataKey.Plaintext.Length);
        Assert.Equal(dataKey.Plaintext.ToArray(), decrypted.Plaintext.ToArray());
        var described = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId });
        Assert.Equal(KeyState.Enabled, described.KeyMetadata.KeyState);
        Assert.Equal(key.Arn, described.KeyMetadata.Arn);
    }

    [Fact]
    public async Task Missing_disabled_denied_and_wrong_keys_raise_the_sdk_exceptions()
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey();
        var other = fake.CreateKey();
        using var kms = AwsClients.Kms(fake);
        var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") })).CiphertextBlob.ToArray();

        await Assert.ThrowsAsync<NotFoundException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = Guid.NewGuid().ToString(), Plaintext = Bytes("x") }));
        await Assert.ThrowsAsync<NotFoundException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = "alias/missing", Plaintext = Bytes("x") }));
        await Assert.ThrowsAsync<IncorrectKeyException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob), KeyId = other.KeyId }));

        fake.SetKeyEnabled(key, false);
        await Assert.ThrowsAsync<DisabledException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        fake.SetKeyEnabled(key, true);
        fake.SetKeyAccessDenied(key, true);
        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk_and_recorded()
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey();
        fake.Faults.FailNext(1, AwsFault.Throttling, r => r.Operation == "Encrypt");
        using var retrying = AwsClients.Kms(fake, maxErrorRetry: 1);
        using var strict = AwsClients.Kms(fake);

        var encrypted = await retrying.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") });
        fake.Faults.FailNext(1, AwsFault.Throttling);
        var throttled = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => strict.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));

        Assert.NotNull(encrypted.CiphertextBlob);
        Assert.Equal("ThrottlingException", throttled.ErrorCode);
        Assert.Equal(["ThrottlingException", null, "ThrottlingException"], fake.Requests.Select(r => r.ErrorType));
    }
}
