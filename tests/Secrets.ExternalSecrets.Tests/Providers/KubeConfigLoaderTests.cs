using k8s;
using Secrets.Core;
using Secrets.ExternalSecrets.Providers.Kubernetes;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.ExternalSecrets.Tests.Providers;

/// <summary>
/// The reflection-free kubeconfig reader (Native AOT controller) gives KubernetesClient the configuration its own loader
/// gave: the current context's server, CA, credentials and namespace; and a client built from it talks to the fake.
/// </summary>
public sealed class KubeConfigLoaderTests
{
    [Fact]
    public async Task FakeKubeconfigBuildsAWorkingClient()
    {
        await using var api = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BearerToken = "t0k" });
        var path = api.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}"), "apps");
        try
        {
            var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeConfigLoader.Load(path));
            Assert.Equal(("apps", "t0k"), (config.Namespace, config.AccessToken));
            using var client = new Kubernetes(config);
            var secrets = await client.CoreV1.ListNamespacedSecretAsync("apps");
            Assert.Empty(secrets.Items);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CurrentContextSelectsClusterUserAndNamespaceAndExecIsRead()
    {
        var parsed = KubeConfigLoader.Parse(new StringReader("""
            apiVersion: v1
            kind: Config
            current-context: b
            clusters:
            - name: one
              cluster: {server: "https://one.example:6443"}
            - name: two
              cluster: {server: "https://two.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: u1
              user: {token: first}
            - name: u2
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: get-token
                  args: [--cluster, two]
                  env: [{name: REGION, value: eu}]
            contexts:
            - name: a
              context: {cluster: one, user: u1, namespace: x}
            - name: b
              context: {cluster: two, user: u1, namespace: y}
            """), "test");
        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(parsed);

        Assert.Equal(("https://two.example:6443", true, "y", "b", "first"), (config.Host, config.SkipTlsVerify, config.Namespace, config.CurrentContext, config.AccessToken));
        var exec = parsed.Users.Single(u => u.Name == "u2").UserCredentials.ExternalExecution;
        Assert.Equal(("client.authentication.k8s.io/v1", "get-token", "--cluster two", "REGION=eu"),
            (exec.ApiVersion, exec.Command, string.Join(' ', exec.Arguments), string.Join(',', exec.EnvironmentVariables.Select(e => e["name"] + "=" + e["value"]))));
    }

    [Fact]
    public void MalformedYamlIsAnInvalidFile()
    {
        var e = Assert.Throws<InvalidFileException>(() => KubeConfigLoader.Parse(new StringReader("clusters: [unclosed"), "authRef"));
        Assert.Contains("kubeconfig authRef", e.Message, StringComparison.Ordinal);
    }
}
