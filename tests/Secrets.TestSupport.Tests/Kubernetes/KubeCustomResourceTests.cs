using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.TestSupport.Tests.Kubernetes;

/// <summary>bitnami.com/v1alpha1 SealedSecrets served after registering the upstream CRD (read in place, sealed-secrets.md §2).</summary>
public sealed class KubeCustomResourceTests
{
    private const string Group = "bitnami.com";
    private const string Version = "v1alpha1";
    private const string Plural = "sealedsecrets";

    internal static string CrdPath => RepoPaths.Vector("sealed-secrets", "crd", "bitnami.com_sealedsecrets.yaml");

    private static JsonObject SealedSecret(string name) => new()
    {
        ["apiVersion"] = "bitnami.com/v1alpha1",
        ["kind"] = "SealedSecret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "apps" },
        ["spec"] = new JsonObject { ["encryptedData"] = new JsonObject { ["password"] = "AgBy3i4O" } },
    };

    private static async Task<KubeSession> StartWithCrdAsync(bool https = false)
    {
        var session = await KubeSession.StartAsync(https);
        var client = session.Client;
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(CrdPath));
        var created = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        Assert.Contains(created.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        return session;
    }

    [VectorTheory("sealed-secrets")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Registered_crd_serves_create_list_get_and_delete_of_custom_objects(bool https)
    {
        await using var session = await StartWithCrdAsync(https);
        var (fake, client) = session;

        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(SealedSecret("db"), Group, Version, "apps", Plural);
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("SealedSecret", created["kind"]!.GetValue<string>());

        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(Group, Version, "apps", Plural);
        Assert.Equal("SealedSecretList", list["kind"]!.GetValue<string>());
        Assert.Single(list["items"]!.AsArray());

        var got = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, Version, "apps", Plural, "db");
        Assert.Equal("AgBy3i4O", got["spec"]!["encryptedData"]!["password"]!.GetValue<string>());

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, "apps", Plural, "db");
        Assert.Null(fake.Get(fake.Resources.Single(r => r.Plural == Plural), "apps", "db"));
        Assert.Contains(fake.Resources, r => r.Plural == Plural && r.HasStatus && r.IsCustom);
    }

    [VectorFact("sealed-secrets")]
    public async Task Status_subresource_separates_status_writes_from_spec_writes_and_generation()
    {
        await using var session = await StartWithCrdAsync();
        var (fake, client) = session;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(SealedSecret("db"), Group, Version, "apps", Plural);

        var status = new V1Patch("""{"status":{"observedGeneration":1,"conditions":[{"type":"Synced","status":"True"}]}}""", V1Patch.PatchType.MergePatch);
        var afterStatus = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(status, Group, Version, "apps", Plural, "db");
        Assert.Equal("True", afterStatus["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(1, afterStatus["metadata"]!["generation"]!.GetValue<long>());

        // A main-resource write cannot touch status but bumps generation on a spec change.
        var spec = new V1Patch("""{"spec":{"encryptedData":{"other":"AgAA"}},"status":{"observedGeneration":99}}""", V1Patch.PatchType.MergePatch);
        var afterSpec = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(spec, Group, Version, "apps", Plural, "db");
        Assert.Equal(2, afterSpec["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(1, afterSpec["status"]!["observedGeneration"]!.GetValue<long>());

        var labels = new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch);
        var afterLabels = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(labels, Group, Version, "apps", Plural, "db");
        Assert.Equal(2, afterLabels["metadata"]!["generation"]!.GetValue<long>());

        // A status write that changes nothing keeps the resourceVersion (no event, no loop).
        var again = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(status, Group, Version, "apps", Plural, "db");
        Assert.Equal(afterLabels["metadata"]!["resourceVersion"]!.GetValue<string>(), again["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [VectorFact("sealed-secrets")]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415()
    {
        await using var session = await StartWithCrdAsync();
        var (fake, client) = session;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(SealedSecret("db"), Group, Version, "apps", Plural);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(
            new V1Patch("""{"spec":{}}""", V1Patch.PatchType.StrategicMergePatch), Group, Version, "apps", Plural, "db"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, e.Response.StatusCode);
    }

    [VectorFact("sealed-secrets")]
    public async Task Custom_objects_can_be_watched_from_a_list_version()
    {
        await using var session = await StartWithCrdAsync();
        var (fake, client) = session;
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(Group, Version, "apps", Plural);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new TaskCompletionSource<(WatchEventType, JsonObject)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, obj) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, "apps", Plural, resourceVersion: list["metadata"]!["resourceVersion"]!.GetValue<string>(),
                timeoutSeconds: 10, onError: e => seen.TrySetException(e), cancellationToken: cancel.Token))
            {
                seen.TrySetResult((type, JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject()));
            }
        }, cancel.Token);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 1);

        fake.Seed(SealedSecret("seeded"));

        var (eventType, seenObject) = await seen.Task.WaitAsync(cancel.Token);
        Assert.Equal(WatchEventType.Added, eventType);
        Assert.Equal("seeded", seenObject["metadata"]!["name"]!.GetValue<string>());
        await cancel.CancelAsync();
    }

    [VectorFact("sealed-secrets")]
    public async Task Seeding_the_crd_yaml_in_place_makes_the_kind_served()
    {
        await using var fake = await FakeKubeApiServer.StartAsync();

        fake.SeedYaml(await File.ReadAllTextAsync(CrdPath));
        var stored = fake.Seed(SealedSecret("db"));

        Assert.Equal("1", stored["metadata"]!["generation"]!.ToJsonString());
        Assert.NotNull(fake.Get(fake.Resources.Single(r => r.Group == Group && r.Plural == Plural), "apps", "db"));
    }
}
