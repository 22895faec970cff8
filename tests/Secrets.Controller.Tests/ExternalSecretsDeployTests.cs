using System.Text.Json.Nodes;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.Controller.Tests;

/// <summary>
/// controller/deploy/external-secrets: the optional kustomize component (external-secrets.io CRDs, least-privilege RBAC,
/// <c>--enable-external-secrets</c>), rendered by kubectl and checked against the requests the ESO controllers really make.
/// </summary>
public sealed class ExternalSecretsDeployTests
{
    private static readonly string Component = Path.Combine(RepoPaths.Root, "controller", "deploy", "external-secrets");

    private static List<JsonObject> EsoRoles() =>
        [.. YamlJson.ParseAll(File.ReadAllText(Path.Combine(Component, "rbac.yaml"))).Select(d => d!.AsObject()).Where(d => d["kind"]!.GetValue<string>() == "ClusterRole")];

    [ToolFact("kubectl")]
    public async Task Kubectl_kustomize_with_the_component_adds_the_crds_the_role_and_the_flag()
    {
        using var overlay = new TempDirectory();
        var deploy = Path.GetRelativePath(overlay.Path, Path.Combine(RepoPaths.Root, "controller", "deploy"));
        await File.WriteAllTextAsync(overlay.File("kustomization.yaml"), $"resources: [{deploy}]\ncomponents: [{Path.GetRelativePath(overlay.Path, Component)}]\n");

        var rendered = await Tools.RunAsync("kubectl", ["kustomize", overlay.Path], timeout: TimeSpan.FromMinutes(1));
        Assert.True(rendered.ExitCode == 0, rendered.StdErr);
        var objects = YamlJson.ParseAll(System.Text.Encoding.UTF8.GetString(rendered.StdOut)).Select(d => d!.AsObject()).ToList();
        string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();
        List<JsonObject> OfKind(string kind) => [.. objects.Where(o => o["kind"]!.GetValue<string>() == kind)];

        Assert.Superset(
            new HashSet<string> { "externalsecrets.external-secrets.io", "secretstores.external-secrets.io", "clustersecretstores.external-secrets.io", "clusterexternalsecrets.external-secrets.io", "sealedsecrets.bitnami.com" },
            OfKind("CustomResourceDefinition").Select(Name).ToHashSet());
        var role = Assert.Single(OfKind("ClusterRole"), r => Name(r) == "secrets-external-secrets");
        Assert.All(role["rules"]!.AsArray(), rule =>
            Assert.DoesNotContain("*", new[] { "verbs", "resources", "apiGroups" }.SelectMany(f => rule![f]!.AsArray().Select(v => v!.GetValue<string>()))));
        var binding = Assert.Single(OfKind("ClusterRoleBinding"), b => Name(b) == "secrets-external-secrets");
        Assert.Equal(("secrets-external-secrets", "sealed-secrets-controller", "kube-system"), (binding["roleRef"]!["name"]!.GetValue<string>(), binding["subjects"]![0]!["name"]!.GetValue<string>(), binding["subjects"]![0]!["namespace"]!.GetValue<string>()));
        var args = Assert.Single(OfKind("Deployment"))["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--enable-external-secrets", args);
        Assert.Contains("--leader-elect=true", args);
    }

    [Fact]
    public async Task The_role_allows_every_request_the_external_secrets_controllers_make()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        foreach (var crd in Directory.GetFiles(Path.Combine(Component, "crds"), "*.yaml"))
        {
            fake.SeedYaml(await File.ReadAllTextAsync(crd));
        }

        fake.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "apps", ["labels"] = new JsonObject { ["team"] = "a" } } });
        fake.SeedYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: tpl, namespace: apps}
            data: {url: "postgres://{{ .user }}@db"}
            ---
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: shared}
            spec:
              conditions: [{namespaceSelector: {matchLabels: {team: a}}}]
              provider: {fake: {data: [{key: /db/user, value: admin}]}}
            ---
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: local, namespace: apps}
            spec: {provider: {fake: {data: [{key: /db/user, value: admin}]}}}
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: web, namespace: apps}
            spec:
              secretStoreRef: {name: local}
              target:
                deletionPolicy: Delete
                template: {templateFrom: [{configMap: {name: tpl, items: [{key: url}]}}]}
              data: [{secretKey: user, remoteRef: {key: /db/user}}]
            ---
            apiVersion: external-secrets.io/v1
            kind: ClusterExternalSecret
            metadata: {name: everywhere}
            spec:
              externalSecretName: from-cluster
              namespaceSelectors: [{matchLabels: {team: a}}]
              externalSecretSpec:
                secretStoreRef: {name: shared, kind: ClusterSecretStore}
                data: [{secretKey: user, remoteRef: {key: /db/user}}]
            """);
        fake.ClearRequests();
        await using (var controller = await ControllerRun.StartAsync(fake, o => o with { EnableExternalSecrets = true }))
        {
            await fake.WaitForAsync(KubeResource.Secrets, "apps", "web", s => s["data"]?["url"] is not null, ControllerRun.Bound);
            await fake.WaitForAsync(KubeResource.Secrets, "apps", "from-cluster", timeout: ControllerRun.Bound);
            var url = fake.Get(KubeResource.Secrets, "apps", "web")!["data"]!["url"]!.GetValue<string>();
            fake.Update(KubeResource.Secrets, "apps", "web", s => s["data"]!["url"] = "ZWRpdGVk");
            await fake.WaitForAsync(KubeResource.Secrets, "apps", "web", s => s["data"]?["url"]?.GetValue<string>() == url, ControllerRun.Bound);
            fake.Delete(fake.Resources.First(r => r.Plural == "externalsecrets"), "apps", "web");
            await fake.WaitUntilAsync(f => f.Get(KubeResource.Secrets, "apps", "web") is null, ControllerRun.Bound);
        }

        var esoRequests = fake.Requests.Where(r => r.StatusCode != 0 || r.Verb == "watch")
            .Where(r => r.Group == "external-secrets.io" || r.Resource is "configmaps" or "namespaces" or "serviceaccounts" || (r.Namespace == "apps" && r.Resource is "secrets" or "events")).ToList();
        Assert.Contains(esoRequests, r => r.Resource == "configmaps");
        Assert.Contains(esoRequests, r => r.Resource == "secrets" && r.Verb == "delete");
        var denied = esoRequests.Where(r => !DeployManifestTests.Allowed(EsoRoles(), r)).Select(r => r.ToString()).Distinct().ToList();
        Assert.Empty(denied);
    }
}
