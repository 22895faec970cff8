using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// KMS clients per (region, role, profile), built the way sops builds them (<c>kms/keysource.go</c>): region from the
/// ARN; credentials given explicitly (<see cref="AwsStaticCredentials"/>), else from the named shared-config profile, else
/// the SDK default chain (env, web identity/IRSA, container, instance); with a role, an STS <c>AssumeRole</c> (session <c>sops@host</c>) on top. Endpoints follow the standard
/// settings only (<c>AWS_ENDPOINT_URL_KMS</c>, <c>AWS_ENDPOINT_URL_STS</c>, <c>AWS_ENDPOINT_URL</c>).
/// </summary>
internal sealed partial class KmsClients(AwsStaticCredentials? explicitCredentials) : IDisposable
{
    private readonly ConcurrentDictionary<(string Region, string? Role, string Profile), Lazy<Task<AmazonKeyManagementServiceClient>>> _clients = new();

    public async Task<AmazonKeyManagementServiceClient> GetAsync(KmsKeyReference key, string profile, CancellationToken cancellationToken)
    {
        var lazy = _clients.GetOrAdd((key.Region, key.Role, profile), k => new Lazy<Task<AmazonKeyManagementServiceClient>>(() => CreateAsync(k.Region, k.Role, k.Profile, cancellationToken)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch
        {
            // A failed AssumeRole (or missing profile) must not stick: the next call tries again.
            _clients.TryRemove(new KeyValuePair<(string, string?, string), Lazy<Task<AmazonKeyManagementServiceClient>>>((key.Region, key.Role, profile), lazy));
            throw;
        }
    }

    private async Task<AmazonKeyManagementServiceClient> CreateAsync(string region, string? role, string profile, CancellationToken cancellationToken)
    {
        var endpoint = RegionEndpoint.GetBySystemName(region);
        var credentials = explicitCredentials is { } given ? Static(given) : ProfileCredentials(profile);
        if (role is not null)
        {
            using var sts = credentials is null
                ? new AmazonSecurityTokenServiceClient(new AmazonSecurityTokenServiceConfig { RegionEndpoint = endpoint, AuthenticationRegion = region })
                : new AmazonSecurityTokenServiceClient(credentials, new AmazonSecurityTokenServiceConfig { RegionEndpoint = endpoint, AuthenticationRegion = region });
            var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role, RoleSessionName = SessionName() }, cancellationToken);
            var c = assumed.Credentials;
            credentials = new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
        }

        // The signing region must be the ARN's even when the endpoint comes from AWS_ENDPOINT_URL_KMS (sops.md §2.1).
        var config = new AmazonKeyManagementServiceConfig { RegionEndpoint = endpoint, AuthenticationRegion = region };
        return credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
    }

    private static AWSCredentials Static(AwsStaticCredentials given) => given.SessionToken is { Length: > 0 } token
        ? new SessionAWSCredentials(given.AccessKeyId, given.SecretAccessKey, token)
        : new BasicAWSCredentials(given.AccessKeyId, given.SecretAccessKey);

    private static AWSCredentials? ProfileCredentials(string profile)
    {
        if (string.IsNullOrEmpty(profile))
        {
            return null;
        }

        // The SDK resolves the default file location once per process; read the variable each time so a changed
        // AWS_SHARED_CREDENTIALS_FILE (a long-running controller, tests) is honoured.
        var location = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
        return new CredentialProfileStoreChain(string.IsNullOrEmpty(location) ? null : location).TryGetAWSCredentials(profile, out var credentials)
            ? credentials
            : throw new AmazonClientException($"the AWS profile \"{profile}\" was not found in the shared config or credentials file");
    }

    /// <summary><c>sops@hostname</c> limited to the characters and length STS accepts (sops <c>stsSessionRegex</c>).</summary>
    private static string SessionName()
    {
        var name = "sops@" + SessionCharacters().Replace(Environment.MachineName, "");
        return name.Length > 64 ? name[..64] : name;
    }

    public void Dispose()
    {
        foreach (var lazy in _clients.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        _clients.Clear();
    }

    [GeneratedRegex(@"[^\w+=,.@-]")]
    private static partial Regex SessionCharacters();
}
