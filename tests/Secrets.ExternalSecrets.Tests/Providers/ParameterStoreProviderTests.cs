using Secrets.ExternalSecrets.Providers.AwsParameterStore;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.ExternalSecrets.Tests.Providers;

/// <summary>
/// The real AWSSDK SSM client against FakeAws. The endpoint reaches the fake only through the SDK's standard
/// AWS_ENDPOINT_URL_SSM setting (production has no hook); the tests of this class run sequentially, so the
/// process-wide variable is safe. IMDS is disabled (test-infra.md §3).
/// </summary>
[Collection(nameof(AwsEnvironment))]
public sealed class ParameterStoreProviderTests
{
    private static async Task<(FakeAws Aws, InMemoryCluster Cluster)> StartAsync()
    {
        var aws = await FakeAws.StartAsync(new FakeAwsOptions { AccessKeyId = "AKIDESO" });
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSM", aws.BaseAddress.ToString());
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_MAX_ATTEMPTS", "1");
        aws.PutParameter("/app/db/user", "admin");
        aws.PutParameter("/app/db/pass", "s3cr3t", "SecureString");
        aws.PutParameter("/app/db/pass", "rotated", "SecureString");
        aws.PutParameter("/app/json", """{"host":"db","port":5432,"key.with.dot":"lit","key":{"with":{"dot":"path"}}}""", tags: new Dictionary<string, string> { ["team"] = "a" });
        aws.PutParameter("/other/x", "x", tags: new Dictionary<string, string> { ["team"] = "b" });
        var cluster = new InMemoryCluster();
        cluster.AddSecret("apps", "awssm-secret", ("access-key", "AKIDESO"), ("secret-access-key", "fake-secret"));
        cluster.AddStore($$"""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: store, namespace: apps}
            spec:
              provider:
                aws:
                  service: ParameterStore
                  region: {{aws.Region}}
                  auth:
                    secretRef:
                      accessKeyIDSecretRef: {name: awssm-secret, key: access-key}
                      secretAccessKeySecretRef: {name: awssm-secret, key: secret-access-key}
            """);
        return (aws, cluster);
    }

    [Fact]
    public async Task Values_versions_properties_tags_and_find_round_trip_through_the_sdk()
    {
        var (aws, cluster) = await StartAsync();
        await using var _ = aws;
        var es = InMemoryCluster.Es("""
              dataFrom:
              - find: {path: /app, name: {regexp: "db/"}}
              - extract: {key: /app/json}
              data:
              - {secretKey: pass-v1, remoteRef: {key: /app/db/pass, version: "1"}}
              - {secretKey: dotted, remoteRef: {key: /app/json, property: key.with.dot}}
              - {secretKey: nested, remoteRef: {key: /app/json, property: key.with}}
              - {secretKey: team, remoteRef: {key: /app/json, metadataPolicy: Fetch, property: team}}
            """);

        var outcome = await cluster.SyncAsync(es, null, null, new ParameterStoreProviderFactory());

        Assert.False(outcome.Failed, outcome.EventMessage);
        var secret = outcome.Secret!;
        Assert.Equal(["_app_db_pass", "_app_db_user", "dotted", "host", "key", "key.with.dot", "nested", "pass-v1", "port", "team"], secret.Data.Keys);
        Assert.Equal(("rotated", "admin", "s3cr3t"), (InMemoryCluster.Text(secret, "_app_db_pass"), InMemoryCluster.Text(secret, "_app_db_user"), InMemoryCluster.Text(secret, "pass-v1")));
        // ParameterStore tries the escaped literal key first (eso-flux.md §2.2).
        Assert.Equal(("lit", """{"dot":"path"}""", "5432", "a"), (InMemoryCluster.Text(secret, "dotted"), InMemoryCluster.Text(secret, "nested"), InMemoryCluster.Text(secret, "port"), InMemoryCluster.Text(secret, "team")));
        Assert.All(aws.Requests, r => Assert.Equal("AKIDESO", r.AccessKeyId));
        Assert.Contains(aws.Requests, r => r.Operation == "GetParameter" && r.Body["WithDecryption"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Find_by_tags_filters_with_list_tags()
    {
        var (aws, cluster) = await StartAsync();
        await using var _ = aws;
        var es = InMemoryCluster.Es("  dataFrom: [{find: {tags: {team: b}}, rewrite: [{regexp: {source: '.*/', target: ''}}]}]");

        var secret = (await cluster.SyncAsync(es, null, null, new ParameterStoreProviderFactory())).Secret!;

        Assert.Equal(["x"], secret.Data.Keys);
    }

    [Fact]
    public async Task Missing_parameter_and_access_denied_are_reported_without_values()
    {
        var (aws, cluster) = await StartAsync();
        await using var _ = aws;
        var missing = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: x, remoteRef: {key: /app/none}}]"), null, null, new ParameterStoreProviderFactory());
        Assert.Equal("error retrieving secret at .data[0], key: /app/none, err: aws ParameterStore: secret \"/app/none\" not found", missing.EventMessage);

        aws.Faults.FailNext(1, AwsFault.AccessDenied);
        var denied = await cluster.SyncAsync(InMemoryCluster.Es("  data: [{secretKey: x, remoteRef: {key: /app/db/pass}}]"), null, null, new ParameterStoreProviderFactory());
        Assert.Equal("error retrieving secret at .data[0], key: /app/db/pass, err: aws ParameterStore: GetParameter \"/app/db/pass\" failed: AccessDeniedException (HTTP 400)", denied.EventMessage);
        Assert.Equal("could not get secret data from provider", denied.Status.Conditions[0].Message);
    }

    [Fact]
    public async Task Unsupported_settings_fail_clearly()
    {
        var (aws, cluster) = await StartAsync();
        await using var _ = aws;
        var store = cluster.AddStore("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: sm, namespace: apps}
            spec: {provider: {aws: {service: SecretsManager, region: us-east-1}}}
            """);
        var e = await Assert.ThrowsAsync<Core.InvalidFileException>(() => cluster.ProviderAsync(new ParameterStoreProviderFactory(), store));
        Assert.Contains("spec.provider.aws.service is \"SecretsManager\"", e.Message, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(AwsEnvironment), DisableParallelization = true)]
public sealed class AwsEnvironment;
