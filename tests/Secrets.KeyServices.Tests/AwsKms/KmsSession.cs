using Secrets.KeyServices.AwsKms;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.KeyServices.Tests.AwsKms;

/// <summary>
/// A FakeAws reached the production way: only standard variables (AWS_ENDPOINT_URL_KMS/_STS, static keys, region;
/// IMDS off; few attempts) — KmsKeySource has no test hook (test-infra.md §3).
/// </summary>
internal sealed class KmsSession : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDKMSTEST";

    private EnvironmentScope? _environment;

    private KmsSession(FakeAws aws) => Aws = aws;

    public FakeAws Aws { get; }

    public static async Task<KmsSession> StartAsync(FakeAwsOptions? options = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var session = new KmsSession(await FakeAws.StartAsync(options));
        var variables = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_KMS"] = session.Aws.BaseAddress.ToString(),
            ["AWS_ENDPOINT_URL_STS"] = session.Aws.BaseAddress.ToString(),
            ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = "fake-secret",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_PROFILE"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_MAX_ATTEMPTS"] = "3",
            ["AWS_RETRY_MODE"] = "standard",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        session._environment = new EnvironmentScope(variables);
        return session;
    }

    public static KmsKeySource Source(KmsOptions? options = null) => new(options);

    public async ValueTask DisposeAsync()
    {
        _environment?.Dispose();
        await Aws.DisposeAsync();
    }
}
