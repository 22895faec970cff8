using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.TestSupport.Tests.Kubernetes;

/// <summary>Service proxy (how kubeseal reaches the controller, sealed-secrets.md §4.2), fault injection and the request log.</summary>
public sealed class KubeProxyAndFaultTests
{
    private static async Task CreateControllerServiceAsync(IKubernetes client) =>
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "sealed-secrets-controller" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8080, Name = "" }] },
        }, "kube-system");

    [Fact]
    public async Task Service_proxy_forwards_get_and_post_to_the_mapped_handler()
    {
        await using var session = await KubeSession.StartAsync(https: true);
        var (fake, client) = session;
        await CreateControllerServiceAsync(client);
        var seen = new List<string>();
        fake.MapServiceProxy("kube-system", "sealed-secrets-controller", async (request, ct) =>
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
            seen.Add($"{request.Method} {request.RequestUri!.AbsolutePath} {body}");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("-----BEGIN CERTIFICATE-----", Encoding.UTF8, "application/x-pem-file") };
        });

        await using var stream = await client.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync("http:sealed-secrets-controller:", "kube-system", "v1/cert.pem");
        using var reader = new StreamReader(stream);
        Assert.Equal("-----BEGIN CERTIFICATE-----", await reader.ReadToEndAsync());

        using var handler = fake.CertificateAuthority!.CreateTrustingHandler();
        using var http = new HttpClient(handler) { BaseAddress = fake.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", fake.BearerToken);
        using var verify = await http.PostAsync("api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:/proxy/v1/verify", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(["GET /v1/cert.pem ", "POST /v1/verify {}"], seen);
        Assert.Contains(fake.Requests, r => r is { Verb: "create", Resource: "services", Subresource: "proxy", Name: "http:sealed-secrets-controller:" });

        using var missing = await http.GetAsync("api/v1/namespaces/kube-system/services/http:sealed-secrets:/proxy/v1/cert.pem");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Service_without_a_mapped_endpoint_is_503()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await CreateControllerServiceAsync(client);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync("sealed-secrets-controller", "kube-system", "healthz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Response.StatusCode);
    }

    [Fact]
    public async Task Injected_failures_hit_only_the_next_matching_requests()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "apps");
        fake.Faults.FailNext(2, KubeFault.InternalError, r => r is { Verb: "get", Resource: "secrets" });
        fake.Faults.FailNext(1, KubeFault.TooManyRequests(7), r => r.Verb == "list");

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("s", "apps"));
        var second = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("s", "apps"));
        var third = await client.CoreV1.ReadNamespacedSecretAsync("s", "apps");
        var throttled = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedSecretAsync("apps"));

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError], [first.Response.StatusCode, second.Response.StatusCode]);
        Assert.Equal("s", third.Metadata.Name);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Response.StatusCode);
        Assert.Equal("7", throttled.Response.Headers["Retry-After"].Single());
        Assert.NotNull(await client.CoreV1.ListNamespacedSecretAsync("apps"));
    }

    [Fact]
    public async Task Dropped_and_hanging_requests_fail_on_the_client_side()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        fake.Faults.FailNext(1, KubeFault.DropConnection);
        fake.Faults.FailNext(1, KubeFault.Hang);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.CoreV1.ListNamespacedSecretAsync("apps"));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CoreV1.ListNamespacedSecretAsync("apps", cancellationToken: giveUp.Token));
        Assert.Empty((await client.CoreV1.ListNamespacedSecretAsync("apps")).Items);
    }

    [Fact]
    public async Task Request_log_records_rbac_terms_of_every_call()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;

        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "apps");
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "s", "apps");
        await client.CoordinationV1.ListLeaseForAllNamespacesAsync();
        await client.CoreV1.DeleteCollectionNamespacedSecretAsync("apps");

        var terms = fake.Requests.Select(r => (r.Verb, r.Group, r.Resource, r.Namespace, r.Name, r.StatusCode)).ToList();
        Assert.Equal(
            [
                ("create", "", "secrets", "apps", null, 201),
                ("patch", "", "secrets", "apps", "s", 200),
                ("list", "coordination.k8s.io", "leases", null, null, 200),
                ("deletecollection", "", "secrets", "apps", null, 200),
            ],
            terms);
        Assert.Empty(fake.List(KubeResource.Secrets));
    }

    [ToolFact("kubectl")]
    public async Task Kubectl_creates_lists_by_label_and_deletes_through_the_fake()
    {
        await using var fake = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { UseHttps = true, BearerToken = "kubectl-token" });
        using var temp = new TempDirectory();
        var kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig"), "apps");
        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig, ["HOME"] = temp.Path };
        async Task<ProcessResult> Kubectl(params string[] args)
        {
            var stdin = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n"u8.ToArray();
            var result = await Tools.RunAsync("kubectl", args, stdin, environment: env, timeout: TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.StdErr}");
            return result;
        }

        // Typed kubectl generators send protobuf, which the fake refuses (415); manifests go through the JSON path.
        await Kubectl("create", "-f", "-", "--validate=false");
        await Kubectl("label", "secret", "db", "app=web");
        var listed = await Kubectl("get", "secrets", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        await Kubectl("delete", "secret", "db");

        Assert.Equal("db", listed.StdOutText.Trim());
        Assert.Empty(fake.List(KubeResource.Secrets));
    }
}
