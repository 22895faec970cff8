using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.Controller.SealedSecrets;

namespace Secrets.Controller.Tests;

/// <summary>Runs only when <c>SECRETS_E2E_KUBECONFIG</c> names a kubeconfig of a real cluster (e.g. kind) with controller/deploy applied.</summary>
public sealed class KindFactAttribute : FactAttribute
{
    public const string Variable = "SECRETS_E2E_KUBECONFIG";

    public KindFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"set {Variable} to a cluster's kubeconfig (kind create cluster; kubectl apply -k controller/deploy) to run the end-to-end suite";
        }
    }
}

/// <summary>
/// Issue 6 item 9, the real-cluster suite: the CLI fetches the certificate through the real API server proxy, the deployed
/// controller unseals, reverts drift, and the real garbage collector removes the Secret with its SealedSecret.
/// </summary>
public sealed class KindEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [KindFact]
    public async Task Seal_apply_unseal_self_heal_and_garbage_collect_on_a_real_cluster()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(KindFactAttribute.Variable)!;
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var ns = "secrets-e2e-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var secretYaml = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: {ns}\nstringData:\n  password: hunter2\n";
            var (code, sealedJson, error) = await InProcessCli.RunAsync(secretYaml, "seal", "--kubeconfig", kubeconfig, "-o", "json");
            Assert.True(code == 0, error);
            var sealedSecret = JsonNode.Parse(sealedJson)!;
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(sealedSecret, V1Alpha1SealedSecret.Group, V1Alpha1SealedSecret.Version, ns, V1Alpha1SealedSecret.Plural);

            var secret = await WaitAsync(() => client.CoreV1.ReadNamespacedSecretAsync("db", ns), s => s.Data?["password"] is { } v && Encoding.UTF8.GetString(v) == "hunter2");
            Assert.Equal(ProducedSecrets.LabelValue, secret.Metadata.Labels[ProducedSecrets.Label]);
            Assert.True(secret.Metadata.Annotations.ContainsKey(UnsealStamp.Annotation));

            secret.Data["password"] = "edited"u8.ToArray();
            await client.CoreV1.ReplaceNamespacedSecretAsync(secret, "db", ns);
            await WaitAsync(() => client.CoreV1.ReadNamespacedSecretAsync("db", ns), s => Encoding.UTF8.GetString(s.Data["password"]) == "hunter2");

            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(V1Alpha1SealedSecret.Group, V1Alpha1SealedSecret.Version, ns, V1Alpha1SealedSecret.Plural, "db");
            await WaitAsync(async () => await ExistsAsync(client, ns), exists => !exists);
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static async Task<bool> ExistsAsync(Kubernetes client, string ns)
    {
        try
        {
            await client.CoreV1.ReadNamespacedSecretAsync("db", ns);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            try
            {
                if (await read() is var value && done(value))
                {
                    return value;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }

            await Task.Delay(500, timeout.Token);
        }
    }
}
