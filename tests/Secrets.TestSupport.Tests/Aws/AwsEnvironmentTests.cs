using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.TestSupport.Tests.Aws;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>Default-constructed clients reach the fake through the standard endpoint variables — production needs no test hook.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class AwsEnvironmentTests
{
    [Fact]
    public async Task Default_constructed_clients_follow_aws_endpoint_url_variables()
    {
        await using var fake = await FakeAws.StartAsync();
        var key = fake.CreateKey();
        fake.PutParameter("/env/x", "from-env");
        using var environment = new EnvironmentScope(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_KMS"] = fake.BaseAddress.ToString(),
            ["AWS_ENDPOINT_URL_SSM"] = fake.BaseAddress.ToString(),
            ["AWS_ACCESS_KEY_ID"] = AwsClients.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = "fake-secret",
            ["AWS_REGION"] = fake.Region,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });

        using var kms = new AmazonKeyManagementServiceClient();
        using var ssm = new AmazonSimpleSystemsManagementClient();
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1, 2, 3]) });
        var parameter = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/env/x" });

        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.Equal("from-env", parameter.Parameter.Value);
    }
}
