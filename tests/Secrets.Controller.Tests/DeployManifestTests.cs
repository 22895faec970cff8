using System.Text.Json.Nodes;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>controller/deploy parsed and checked: upstream-compatible CRD, hardened Deployment, kubeseal-compatible Service, least-privilege RBAC.</summary>
public sealed class DeployManifestTests
{
    private static string Deploy(string file) => Path.Combine(RepoPaths.Root, "controller", "deploy", file);

    private static List<JsonObject> Read(string file) => [.. YamlJson.ParseAll(File.ReadAllText(Deploy(file))).Select(d => d!.AsObject())];

    [Fact]
    public void Kustomization_lists_every_manifest_in_the_folder()
    {
        var kustomization = Read("kustomization.yaml").Single();
        var resources = kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        var files = Directory.GetFiles(Path.GetDirectoryName(Deploy("crd.yaml"))!, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        // Every top-level manifest is deployed; optional CRDs under crds/ (ExternalSecrets) may be left out.
        Assert.All(files, file => Assert.Contains(file, resources));
        Assert.All(resources, resource => Assert.True(File.Exists(Deploy(resource)), resource));
    }

    [VectorFact("sealed-secrets")]
    public void Crd_matches_the_upstream_crd_in_names_version_required_fields_columns_and_status()
    {
        var ours = Read("crd.yaml").Single();
        var upstream = YamlJson.ParseAll(File.ReadAllText(RepoPaths.Vector("sealed-secrets", "crd", "bitnami.com_sealedsecrets.yaml"))).Single()!.AsObject();
        Assert.Equal(upstream["metadata"]!["name"]!.ToJsonString(), ours["metadata"]!["name"]!.ToJsonString());
        foreach (var field in new[] { "group", "names", "scope" })
        {
            Assert.True(JsonNode.DeepEquals(upstream["spec"]![field], ours["spec"]![field]), field);
        }

        var theirVersion = upstream["spec"]!["versions"]![0]!;
        var ourVersion = ours["spec"]!["versions"]![0]!;
        foreach (var field in new[] { "name", "served", "storage", "subresources", "additionalPrinterColumns" })
        {
            Assert.True(JsonNode.DeepEquals(theirVersion[field], ourVersion[field]), field);
        }

        var theirSchema = theirVersion["schema"]!["openAPIV3Schema"]!;
        var ourSchema = ourVersion["schema"]!["openAPIV3Schema"]!;
        Assert.True(JsonNode.DeepEquals(theirSchema["required"], ourSchema["required"]));
        Assert.True(JsonNode.DeepEquals(theirSchema["properties"]!["spec"]!["required"], ourSchema["properties"]!["spec"]!["required"]));
        var theirSpec = theirSchema["properties"]!["spec"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(theirSpec, ourSchema["properties"]!["spec"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deployment_runs_non_root_with_a_read_only_root_filesystem_and_no_capabilities()
    {
        var deployment = Read("deployment.yaml").Single();
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        var container = pod["containers"]![0]!;
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal("ALL", container["securityContext"]!["capabilities"]!["drop"]![0]!.GetValue<string>());
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("sealed-secrets-controller", pod["serviceAccountName"]!.GetValue<string>());
    }

    [Fact]
    public void Service_has_the_name_kubeseal_looks_for_by_default()
    {
        var service = Read("service.yaml").First();
        Assert.Equal(("sealed-secrets-controller", "kube-system"), (service["metadata"]!["name"]!.GetValue<string>(), service["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.Equal(8080, service["spec"]!["ports"]![0]!["port"]!.GetValue<long>());
    }

    [Fact]
    public async Task Rbac_allows_every_request_the_controller_makes_and_nothing_cluster_wide_beyond_them()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        fake.ClearRequests();
        await using (var controller = await ControllerRun.StartAsync(fake, o => o with { LeaderElect = true, KeyRenewPeriod = TimeSpan.Zero }))
        {
            fake.Seed(Seal(OtherKeySecret, "apps", "nokey", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
            await fake.WaitUntilAsync(f => f.List(KubeResource.Secrets, ControllerRun.ControllerNamespace).Count == 1, ControllerRun.Bound);
            var key = fake.List(KubeResource.Secrets, ControllerRun.ControllerNamespace).Single();
            fake.Seed(Seal(k8s.KubernetesJson.Deserialize<k8s.Models.V1Secret>(key.ToJsonString()), "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
            await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: ControllerRun.Bound);
            fake.Update(KubeResource.Secrets, "apps", "db", s => s["data"]!["k"] = "ZWRpdGVk");
            await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "k") == "v", ControllerRun.Bound);
        }

        var rules = Read("rbac.yaml").Where(d => d["kind"]!.GetValue<string>() is "ClusterRole" or "Role" && d["metadata"]!["name"]!.GetValue<string>() != "sealed-secrets-service-proxier").ToList();
        var denied = fake.Requests.Where(r => r.StatusCode != 0 || r.Verb == "watch").Where(r => !Allowed(rules, r)).Select(r => r.ToString()).Distinct().ToList();
        Assert.Empty(denied);
        Assert.Contains(fake.Requests, r => r.Group == "coordination.k8s.io");
    }

    [ToolFact("kubectl")]
    public async Task Kubectl_kustomize_renders_the_crd_rbac_service_and_a_hardened_deployment()
    {
        var rendered = await Tools.RunAsync("kubectl", ["kustomize", Path.Combine(RepoPaths.Root, "controller", "deploy")], timeout: TimeSpan.FromMinutes(1));
        Assert.True(rendered.ExitCode == 0, rendered.StdErr);
        var objects = YamlJson.ParseAll(System.Text.Encoding.UTF8.GetString(rendered.StdOut)).Select(d => d!.AsObject()).ToList();
        JsonObject One(string kind, string name) => Assert.Single(objects, o => o["kind"]!.GetValue<string>() == kind && o["metadata"]!["name"]!.GetValue<string>() == name);

        One("CustomResourceDefinition", "sealedsecrets.bitnami.com");
        var account = One("ServiceAccount", "sealed-secrets-controller");
        Assert.Equal("kube-system", account["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(8080, One("Service", "sealed-secrets-controller")["spec"]!["ports"]![0]!["port"]!.GetValue<long>());
        var deployment = One("Deployment", "sealed-secrets-controller");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal(("sealed-secrets-controller", true, "RuntimeDefault"), (pod["serviceAccountName"]!.GetValue<string>(), pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>()));
        var container = pod["containers"]![0]!;
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.Equal(["/healthz", "/readyz"], new[] { "livenessProbe", "readinessProbe" }.Select(p => container[p]!["httpGet"]!["path"]!.GetValue<string>()));

        // RBAC: no wildcards; every binding names the controller's ServiceAccount (or, for the proxier, authenticated users).
        var roles = objects.Where(o => o["kind"]!.GetValue<string>() is "Role" or "ClusterRole").ToList();
        Assert.NotEmpty(roles);
        Assert.All(roles.SelectMany(r => r["rules"]!.AsArray()), rule =>
            Assert.DoesNotContain("*", new[] { "verbs", "resources", "apiGroups" }.SelectMany(f => rule![f]!.AsArray().Select(v => v!.GetValue<string>()))));
        var bindings = objects.Where(o => o["kind"]!.GetValue<string>() is "RoleBinding" or "ClusterRoleBinding").ToList();
        Assert.All(bindings, binding => Assert.Contains(roles, r => r["metadata"]!["name"]!.GetValue<string>() == binding["roleRef"]!["name"]!.GetValue<string>()));
        Assert.All(bindings.Where(b => b["metadata"]!["name"]!.GetValue<string>() != "sealed-secrets-service-proxier"), binding =>
            Assert.Equal("sealed-secrets-controller", Assert.Single(binding["subjects"]!.AsArray())!["name"]!.GetValue<string>()));
    }

    internal static bool Allowed(List<JsonObject> roles, KubeRequest request) => roles.Any(role =>
        (role["kind"]!.GetValue<string>() == "ClusterRole" || role["metadata"]!["namespace"]!.GetValue<string>() == request.Namespace)
        && role["rules"]!.AsArray().Any(rule =>
            Has(rule!["apiGroups"], request.Group)
            && Has(rule["resources"], request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource)
            && Has(rule["verbs"], request.Verb)));

    private static bool Has(JsonNode? list, string value) => list!.AsArray().Any(v => v!.GetValue<string>() is var s && (s == value || s == "*"));
}
