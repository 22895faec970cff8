using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.TestSupport.Tests.Kubernetes;

public sealed class KubeSecretTests
{
    private static V1Secret Secret(string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? stringData = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps", Labels = labels },
        StringData = stringData ?? new Dictionary<string, string> { ["password"] = "hunter2" },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Secret_create_read_replace_delete_round_trips_over_http_and_https(bool https)
    {
        await using var session = await KubeSession.StartAsync(https);
        var (fake, client) = session;

        var created = await client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "apps");
        Assert.NotNull(created.Metadata.Uid);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("hunter2", Encoding.UTF8.GetString(created.Data["password"]));
        Assert.Null(created.StringData);
        Assert.Equal("Opaque", created.Type);

        var read = await client.CoreV1.ReadNamespacedSecretAsync("db", "apps");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("Secret", fake.Get(KubeResource.Secrets, "apps", "db")!["kind"]!.GetValue<string>());

        read.Data["extra"] = Encoding.UTF8.GetBytes("more");
        var replaced = await client.CoreV1.ReplaceNamespacedSecretAsync(read, "db", "apps");
        Assert.NotEqual(read.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);

        await client.CoreV1.DeleteNamespacedSecretAsync("db", "apps");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("db", "apps"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("secrets \\\"db\\\" not found", missing.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_create_is_409_already_exists()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "apps");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "apps"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_409_conflict()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var first = await client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "apps");
        fake.Update(KubeResource.Secrets, "apps", "db", s => s["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["changed"] = "by-someone-else" });

        first.Data["password"] = Encoding.UTF8.GetBytes("new");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedSecretAsync(first, "db", "apps"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("the object has been modified", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_name_gets_a_random_suffix()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var body = Secret("");
        body.Metadata.Name = null;
        body.Metadata.GenerateName = "token-";

        var a = await client.CoreV1.CreateNamespacedSecretAsync(body, "apps");
        var b = await client.CoreV1.CreateNamespacedSecretAsync(body, "apps");

        Assert.StartsWith("token-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("token-".Length + 5, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Immutable_secret_refuses_data_changes_with_422()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var body = Secret("frozen");
        body.Immutable = true;
        var created = await client.CoreV1.CreateNamespacedSecretAsync(body, "apps");

        created.Data["password"] = Encoding.UTF8.GetBytes("changed");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedSecretAsync(created, "frozen", "apps"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        Assert.Contains("field is immutable when `immutable` is set", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_is_a_4xx_status_never_a_500()
    {
        await using var fake = await FakeKubeApiServer.StartAsync();
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };

        async Task<HttpStatusCode> Post(string json) =>
            (await http.PostAsync("api/v1/namespaces/apps/secrets", new StringContent(json, Encoding.UTF8, "application/json"))).StatusCode;

        Assert.Equal(HttpStatusCode.BadRequest, await Post("""{"metadata":{"name":"a"},"stringData":{"flag":true}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("""{"metadata":{"name":"b"},"data":{"k":"not base64!"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("""{"metadata":{"name":"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await Post("""{"metadata":{"name":"Upper_Case"}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await Post("""{"metadata":{}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("""{"kind":"ConfigMap","metadata":{"name":"c"}}"""));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/v1/namespaces/apps/widgets")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/v1/namespaces/apps/secrets?labelSelector=a%20in%20(b")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/v1/namespaces/apps/secrets?fieldSelector=spec.foo%3Dx")).StatusCode);
        Assert.DoesNotContain(fake.Requests, r => r.StatusCode >= 500);
    }

    [Fact]
    public async Task Wrong_or_missing_token_is_401()
    {
        await using var fake = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { UseHttps = true, BearerToken = "right" });
        var config = new KubernetesClientConfiguration
        {
            Host = fake.BaseAddress.ToString(),
            AccessToken = "wrong",
            SslCaCerts = [fake.CertificateAuthority!.Certificate],
        };
        using var client = new k8s.Kubernetes(config);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedSecretAsync("apps"));

        Assert.Equal(HttpStatusCode.Unauthorized, e.Response.StatusCode);
    }

    [Fact]
    public async Task Label_selectors_support_equality_and_set_based_requirements()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("a", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("b", new Dictionary<string, string> { ["app"] = "db" }), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("c"), "apps");

        async Task<string> Names(string selector) =>
            string.Join(",", (await client.CoreV1.ListNamespacedSecretAsync("apps", labelSelector: selector)).Items.Select(s => s.Metadata.Name));

        Assert.Equal("a", await Names("app=web"));
        Assert.Equal("a", await Names("app==web,tier"));
        Assert.Equal("b,c", await Names("app!=web"));
        Assert.Equal("a,b", await Names("app in (web, db)"));
        Assert.Equal("b,c", await Names("app notin (web)"));
        Assert.Equal("c", await Names("!app"));
        var byName = await client.CoreV1.ListNamespacedSecretAsync("apps", fieldSelector: "metadata.name=b");
        Assert.Equal("b", Assert.Single(byName.Items).Metadata.Name);
        Assert.Equal("SecretList", byName.Kind);
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue_across_namespaces()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        foreach (var ns in new[] { "a", "b" })
        {
            for (var i = 0; i < 3; i++)
            {
                await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s{i}" } }, ns);
            }
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.CoreV1.ListSecretForAllNamespacesAsync(limit: 4, continueParameter: token);
            names.AddRange(page.Items.Select(s => s.Metadata.NamespaceProperty + "/" + s.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (token is not null);

        Assert.Equal(2, pages);
        Assert.Equal(["a/s0", "a/s1", "a/s2", "b/s0", "b/s1", "b/s2"], names);
    }
}
