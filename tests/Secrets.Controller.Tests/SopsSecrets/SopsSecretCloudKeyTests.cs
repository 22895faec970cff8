using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Secrets.Controller.SopsSecrets;
using Secrets.KeyServices.AwsKms;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Aws;
using Secrets.TestSupport.Fakes.Azure;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.SopsSecrets.SopsControllerRun;

namespace Secrets.Controller.Tests.SopsSecrets;

/// <summary>
/// SopsSecrets encrypted with cloud keys, decrypted by the controller with the static credentials of Flux's
/// <c>sops.aws-kms</c> and <c>sops.azure-kv</c> entries (eso-flux.md §3.2), through the real SDKs and the loopback fakes.
/// The AWS SDK reads its endpoint from the process environment, so these tests run alone.
/// </summary>
[Collection(nameof(SopsSecretCloudKeyTests))]
[CollectionDefinition(nameof(SopsSecretCloudKeyTests), DisableParallelization = true)]
public sealed class SopsSecretCloudKeyTests
{
    private const string Ns = "apps";
    private const string StaticKeyId = "AKIDFLUXSTATIC0001";
    private const string StaticSecret = "flux-static-secret";
    private const string StaticToken = "flux-session-token";

    [Fact]
    public async Task Aws_kms_key_is_decrypted_with_the_static_credentials_of_the_sops_aws_kms_entry_not_the_ambient_ones()
    {
        // The fake accepts only the Secret's access key id and session token; the ambient ones would be refused.
        await using var aws = await FakeAws.StartAsync(new FakeAwsOptions { AccessKeyId = StaticKeyId, SessionToken = StaticToken });
        using var environment = AmbientAws(aws);
        var kmsKey = aws.CreateKey();
        using var encryptor = new KmsKeySource(new KmsOptions { Credentials = new AwsStaticCredentials(StaticKeyId, StaticSecret, StaticToken) });
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("sops.aws-kms", $"""
            aws_access_key_id: {StaticKeyId}
            aws_secret_access_key: {StaticSecret}
            aws_session_token: {StaticToken}
            """)));
        await using var controller = await SopsControllerRun.StartAsync(fake);

        fake.SeedYaml(await SopsSecretYamlAsync(encryptor.Parse(kmsKey.Arn), [PlainSecret(Ns, "from-kms", ("password", "kms-plain"))]));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, Ns, "from-kms", timeout: ControllerRun.Bound);
        Assert.Equal("kms-plain", Value(secret, "password"));
        var decrypts = aws.Requests.Where(r => r.Operation == "Decrypt").ToList();
        Assert.NotEmpty(decrypts);
        Assert.All(decrypts, r => Assert.Equal((StaticKeyId, aws.Region, 200), (r.AccessKeyId, r.SigningRegion, r.StatusCode)));
    }

    [Fact]
    public async Task Without_a_sops_aws_kms_entry_the_ambient_credentials_are_used_and_refused_by_the_fake()
    {
        await using var aws = await FakeAws.StartAsync(new FakeAwsOptions { AccessKeyId = StaticKeyId, SessionToken = StaticToken });
        using var environment = AmbientAws(aws);
        var kmsKey = aws.CreateKey();
        using var encryptor = new KmsKeySource(new KmsOptions { Credentials = new AwsStaticCredentials(StaticKeyId, StaticSecret, StaticToken) });
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("unrelated", "x")));
        await using var controller = await SopsControllerRun.StartAsync(fake);

        fake.SeedYaml(await SopsSecretYamlAsync(encryptor.Parse(kmsKey.Arn), [PlainSecret(Ns, "ambient", ("password", "kms-plain"))]));

        static string? Ready(JsonObject ss, string field) =>
            ss["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?[field]?.GetValue<string>();
        var failed = await fake.WaitForAsync(SopsSecretResource(fake), Ns, "ambient", ss => Ready(ss, "reason") == "DecryptionFailed", ControllerRun.Bound);
        Assert.Contains(kmsKey.Arn, Ready(failed, "message"), StringComparison.Ordinal);
        Assert.Contains(aws.Requests, r => r.Operation == "Decrypt" && r.AccessKeyId == "AKIDAMBIENT" && r.ErrorType == "UnrecognizedClientException");
        Assert.Null(fake.Get(KubeResource.Secrets, Ns, "ambient"));
    }

    [Fact]
    public async Task Azure_key_vault_key_is_decrypted_with_the_service_principal_of_the_sops_azure_kv_entry()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var kvKey = vault.CreateKey("sops");
        var (clientId, clientSecret) = vault.ClientSecret;
        var encryptor = new AzureKeyVaultKeySource(new AzureKeyVaultOptions
        {
            Credential = AzureCredentialChain.ClientSecret(vault.TenantId, clientId, clientSecret, vault.AuthorityHost, new HttpClientTransport(vault.CreateTrustingHandler())),
            Transport = new HttpClientTransport(vault.CreateTrustingHandler()),
            DisableChallengeResourceVerification = true,
        });
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(Ns, "team-keys", ("sops.azure-kv", $$"""
            {"tenantId": "{{vault.TenantId}}", "clientId": "{{clientId}}", "clientSecret": "{{clientSecret}}", "authorityHost": "{{vault.AuthorityHost}}"}
            """)));
        var connections = new KeyServiceConnections { HttpHandlerFactory = vault.CreateTrustingHandler, DisableChallengeResourceVerification = true };
        await using var controller = await SopsControllerRun.StartAsync(fake, connections);

        var key = encryptor.Parse($"{vault.VaultUri.ToString().TrimEnd('/')}/keys/sops/{kvKey.LatestVersion}");
        fake.SeedYaml(await SopsSecretYamlAsync(key, [PlainSecret(Ns, "from-azure", ("password", "azure-plain"))], shape: ss => ss["spec"]!["decryption"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "team-keys" } }));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, Ns, "from-azure", timeout: ControllerRun.Bound);
        Assert.Equal("azure-plain", Value(secret, "password"));
        Assert.Contains(vault.Requests, r => r.Path.Contains("/unwrapkey", StringComparison.Ordinal) && r.StatusCode == 200);
    }

    /// <summary>The endpoint through the standard variable, and ambient credentials the fake does not accept.</summary>
    private static EnvironmentScope AmbientAws(FakeAws aws) => new(new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL_KMS"] = aws.BaseAddress.ToString(),
        ["AWS_ACCESS_KEY_ID"] = "AKIDAMBIENT",
        ["AWS_SECRET_ACCESS_KEY"] = "ambient-secret",
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_MAX_ATTEMPTS"] = "1",
    });
}
