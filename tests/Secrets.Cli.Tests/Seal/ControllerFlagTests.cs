using System.Text;
using Secrets.Sealing;
using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Seal;

/// <summary>--fetch-cert, --validate, --re-encrypt and cert fetching against a loopback API server (FakeApiServer).</summary>
public class ControllerFlagTests
{
    private static Task<FakeApiServer> StartAsync(string portName = "", string serviceName = "sealed-secrets-controller", string serviceNamespace = "kube-system")
    {
        var (otherKey, otherCert) = SealFixtures.Other;
        var keys = SealFixtures.KeysFrom(File.ReadAllText(SealFixtures.JsKey), otherKey);
        var newest = SealingKey.FromPem(otherCert, DateTimeOffset.UtcNow);
        return FakeApiServer.StartAsync(File.ReadAllText(SealFixtures.JsCert), keys, newest, portName, serviceName, serviceNamespace);
    }

    [VectorTheory(SealFixtures.Vectors)]
    [InlineData("")]
    [InlineData("http")]
    public async Task Fetch_cert_goes_through_the_service_proxy_with_the_kubeconfig_token(string portName)
    {
        await using var server = await StartAsync(portName);
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);

        var result = await new CliRunner().RunAsync("seal", "--fetch-cert", "--kubeconfig", kubeconfig);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(SealFixtures.JsCert), result.StdOutText);
        Assert.Contains($"GET /api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:{portName}/proxy/v1/cert.pem", server.Requests);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Sealing_without_cert_fetches_it_and_uses_the_context_namespace()
    {
        await using var server = await StartAsync();
        using var dir = new TempDirectory();
        var cli = new CliRunner();
        cli.Environment["KUBECONFIG"] = server.WriteKubeConfig(dir.Path, contextNamespace: "team-a");

        var result = await cli.RunAsync(SealFixtures.SecretYaml(ns: null), "seal", "-o", "yaml");

        Assert.Equal(0, result.ExitCode);
        var sealedSecret = SealFixtures.ReadSealed(result.StdOut);
        Assert.Equal("team-a", sealedSecret.Metadata.Namespace);
        Assert.Equal("s3cr3t-value", Encoding.UTF8.GetString(server.Keys.Unseal(sealedSecret).Data["password"]));
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Wrong_token_is_a_key_service_failure_with_an_rbac_hint()
    {
        await using var server = await StartAsync();
        using var dir = new TempDirectory();

        var result = await new CliRunner().RunAsync("seal", "--fetch-cert", "--kubeconfig", server.WriteKubeConfig(dir.Path, token: "wrong"));

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("HTTP 401", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: the kubeconfig user needs get/create on services/proxy", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", result.StdErr, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Unknown_controller_service_suggests_the_controller_flags()
    {
        await using var server = await StartAsync(serviceName: "sealed-secrets");
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);

        var missing = await new CliRunner().RunAsync("seal", "--fetch-cert", "--kubeconfig", kubeconfig);
        var named = await new CliRunner().RunAsync("seal", "--fetch-cert", "--kubeconfig", kubeconfig, "--controller-name", "sealed-secrets");

        Assert.Equal(6, missing.ExitCode);
        Assert.Contains("service not found", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: set --controller-name/--controller-namespace", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, named.ExitCode);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Validate_passes_for_decryptable_and_fails_for_foreign_sealed_secrets()
    {
        await using var server = await StartAsync();
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);
        var renamed = File.ReadAllText(SealFixtures.JsSet("strict.yaml")).Replace("name: db-credentials\n  namespace", "name: moved\n  namespace", StringComparison.Ordinal);

        var good = await new CliRunner().RunAsync("seal", "--validate", "--kubeconfig", kubeconfig, "-f", SealFixtures.JsSet("strict.yaml"));
        var bad = await new CliRunner().RunAsync(Encoding.UTF8.GetBytes(renamed), "seal", "--validate", "--kubeconfig", kubeconfig);

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(128, bad.ExitCode);
        Assert.Contains("error: unable to decrypt sealed secret: moved", bad.StdErr, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:/proxy/v1/verify", server.Requests);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Re_encrypt_rewrites_the_file_in_place_with_the_newest_key()
    {
        await using var server = await StartAsync();
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);
        File.Copy(SealFixtures.JsSet("namespace-wide.yaml"), dir.File("ns.yaml"));
        var cli = new CliRunner { CurrentDirectory = dir.Path };

        var result = await cli.RunAsync("seal", "--re-encrypt", "--kubeconfig", kubeconfig, "-f", "ns.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StdOut);
        var text = File.ReadAllText(dir.File("ns.yaml"));
        Assert.StartsWith("---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n", text, StringComparison.Ordinal);
        Assert.Contains("creationTimestamp: null", text, StringComparison.Ordinal);
        Assert.DoesNotContain("generation", text, StringComparison.Ordinal);
        var rotated = SealFixtures.ReadSealed(Encoding.UTF8.GetBytes(text));
        Assert.Equal(SealedSecretScope.NamespaceWide, rotated.Scope);
        var newKeyOnly = SealFixtures.KeysFrom(SealFixtures.Other.Key);
        Assert.Equal("ns-wide-token", Encoding.UTF8.GetString(newKeyOnly.Unseal(rotated).Data["token"]));
        Assert.Throws<Secrets.Core.NoMatchingKeyException>(() => SealFixtures.KeysFrom(File.ReadAllText(SealFixtures.JsKey)).Unseal(rotated));
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Controller_name_and_namespace_come_from_the_flags_or_the_environment()
    {
        await using var server = await StartAsync(portName: "http", serviceName: "sealed-secrets", serviceNamespace: "ops");
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);
        var fromEnvironment = new CliRunner();
        fromEnvironment.Environment["SEALED_SECRETS_CONTROLLER_NAME"] = "sealed-secrets";
        fromEnvironment.Environment["SEALED_SECRETS_CONTROLLER_NAMESPACE"] = "ops";

        var flags = await new CliRunner().RunAsync(SealFixtures.SecretYaml(), "seal", "--kubeconfig", kubeconfig, "--controller-name", "sealed-secrets", "--controller-namespace", "ops");
        var environment = await fromEnvironment.RunAsync("seal", "--fetch-cert", "--kubeconfig", kubeconfig);

        Assert.True(flags.ExitCode == 0, flags.StdErr);
        Assert.Equal("s3cr3t-value", Encoding.UTF8.GetString(server.Keys.Unseal(SealFixtures.ReadSealed(flags.StdOut)).Data["password"]));
        Assert.True(environment.ExitCode == 0, environment.StdErr);
        Assert.Equal(File.ReadAllText(SealFixtures.JsCert), environment.StdOutText);
        Assert.Equal(2, server.Requests.Count(r => r == "GET /api/v1/namespaces/ops/services/http:sealed-secrets:http/proxy/v1/cert.pem"));
        Assert.DoesNotContain(server.Requests, r => r.Contains("kube-system", StringComparison.Ordinal));
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Re_encrypt_from_stdin_prints_json_and_validate_accepts_the_result()
    {
        await using var server = await StartAsync();
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeConfig(dir.Path);

        var rotated = await new CliRunner().RunAsync(File.ReadAllBytes(SealFixtures.JsSet("cluster-wide.yaml")), "seal", "--re-encrypt", "--kubeconfig", kubeconfig);
        var validated = await new CliRunner().RunAsync(rotated.StdOut, "seal", "--validate", "--kubeconfig", kubeconfig);

        Assert.True(rotated.ExitCode == 0, rotated.StdErr);
        Assert.StartsWith("{\n  \"kind\": \"SealedSecret\",\n  \"apiVersion\": \"bitnami.com/v1alpha1\",\n", rotated.StdOutText, StringComparison.Ordinal);
        var secret = SealFixtures.KeysFrom(SealFixtures.Other.Key).Unseal(SealFixtures.ReadSealed(rotated.StdOut));
        Assert.Equal("postgres://db.example.org:5432/app", Encoding.UTF8.GetString(secret.Data["url"]));
        Assert.Equal(0, validated.ExitCode);
        Assert.Contains("POST /api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:/proxy/v1/rotate", server.Requests);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Cert_from_an_http_url_seals_without_a_kubeconfig()
    {
        var pem = File.ReadAllText(SealFixtures.JsCert);
        await using var web = await Secrets.TestSupport.Fakes.LoopbackServer.StartAsync(context => context.Request.Path == "/cert.pem"
            ? Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, pem)
            : Task.FromResult(context.Response.StatusCode = 404), tls: null);

        var result = await new CliRunner().RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", new Uri(web.BaseAddress, "cert.pem").ToString(), "-o", "yaml");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var keys = SealFixtures.KeysFrom(File.ReadAllText(SealFixtures.JsKey));
        Assert.Equal("s3cr3t-value", Encoding.UTF8.GetString(keys.Unseal(SealFixtures.ReadSealed(result.StdOut)).Data["password"]));
    }

    [Fact]
    public async Task Unreachable_api_server_is_a_key_service_failure()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config"), "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: 'http://127.0.0.1:1'}\nusers:\n- name: u\n  user: {}\n");

        var result = await new CliRunner().RunAsync("seal", "--fetch-cert", "--kubeconfig", dir.File("config"));

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("cannot reach the API server http://127.0.0.1:1", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cert_from_a_file_url_is_printed_by_fetch_cert()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.pem"), SealFixtures.Other.Cert);

        var result = await new CliRunner().RunAsync("seal", "--fetch-cert", "--cert", new Uri(dir.File("c.pem")).AbsoluteUri);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(SealFixtures.Other.Cert, result.StdOutText);
    }
}
