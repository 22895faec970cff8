using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.TestSupport.Tests.Aws;

/// <summary>The real AWS SDK clients pointed at a fake with explicit test credentials (test-infra.md §3 pitfalls: no IMDS, few retries).</summary>
internal static class AwsClients
{
    public const string AccessKeyId = "AKIDFAKETEST";

    public static AmazonKeyManagementServiceClient Kms(FakeAws fake, int maxErrorRetry = 0) => new(
        new BasicAWSCredentials(AccessKeyId, "fake-secret"),
        new AmazonKeyManagementServiceConfig
        {
            ServiceURL = fake.BaseAddress.ToString(),
            AuthenticationRegion = fake.Region,
            MaxErrorRetry = maxErrorRetry,
        });

    public static AmazonSimpleSystemsManagementClient Ssm(FakeAws fake, int maxErrorRetry = 0) => new(
        new BasicAWSCredentials(AccessKeyId, "fake-secret"),
        new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = fake.BaseAddress.ToString(),
            AuthenticationRegion = fake.Region,
            MaxErrorRetry = maxErrorRetry,
        });
}
