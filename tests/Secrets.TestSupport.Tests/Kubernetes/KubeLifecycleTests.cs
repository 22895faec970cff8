using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.TestSupport.Tests.Kubernetes;

/// <summary>Deletion semantics: ownerReference garbage collection, orphaning, finalizers; patches of every flavour.</summary>
public sealed class KubeLifecycleTests
{
    private static V1Secret OwnedSecret(string name, JsonObject owner) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = "bitnami.com/v1alpha1",
                    Kind = "SealedSecret",
                    Name = owner["metadata"]!["name"]!.GetValue<string>(),
                    Uid = owner["metadata"]!["uid"]!.GetValue<string>(),
                    Controller = true,
                },
            ],
        },
        Data = new Dictionary<string, byte[]> { ["k"] = "v"u8.ToArray() },
    };

    private static async Task<(KubeSession Session, JsonObject Owner)> StartWithOwnerAsync()
    {
        var session = await KubeSession.StartAsync();
        var fake = session.Fake;
        fake.SeedYaml(await File.ReadAllTextAsync(KubeCustomResourceTests.CrdPath));
        var owner = fake.Seed(JsonNode.Parse("""{"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","metadata":{"name":"db","namespace":"apps"},"spec":{"encryptedData":{}}}""")!.AsObject());
        return (session, owner);
    }

    [VectorFact("sealed-secrets")]
    public async Task Deleting_the_owner_garbage_collects_the_owned_secret()
    {
        var (session, owner) = await StartWithOwnerAsync();
        await using var _ = session;
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(OwnedSecret("db", owner), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "unrelated" } }, "apps");

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("bitnami.com", "v1alpha1", "apps", "sealedsecrets", "db");

        Assert.Null(fake.Get(KubeResource.Secrets, "apps", "db"));
        Assert.NotNull(fake.Get(KubeResource.Secrets, "apps", "unrelated"));
    }

    [VectorFact("sealed-secrets")]
    public async Task Orphan_propagation_keeps_the_dependent_without_the_reference()
    {
        var (session, owner) = await StartWithOwnerAsync();
        await using var _ = session;
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(OwnedSecret("db", owner), "apps");

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("bitnami.com", "v1alpha1", "apps", "sealedsecrets", "db", propagationPolicy: "Orphan");

        var kept = await client.CoreV1.ReadNamespacedSecretAsync("db", "apps");
        Assert.Null(kept.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Finalizers_hold_a_deleted_object_until_they_are_removed()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, "apps");

        await client.CoreV1.DeleteNamespacedSecretAsync("held", "apps");
        var marked = await client.CoreV1.ReadNamespacedSecretAsync("held", "apps");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""[{"op":"remove","path":"/metadata/finalizers"}]""", V1Patch.PatchType.JsonPatch), "held", "apps");
        Assert.Null(fake.Get(KubeResource.Secrets, "apps", "held"));
    }

    [Fact]
    public async Task Json_patch_strategic_merge_and_apply_patches_change_the_object()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "apps");

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"}]""", V1Patch.PatchType.JsonPatch), "cm", "apps");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"c":"3"}}""", V1Patch.PatchType.StrategicMergePatch), "cm", "apps");
        var applied = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":null,"d":"4"}}""", V1Patch.PatchType.ApplyPatch), "cm", "apps", fieldManager: "secrets-controller", force: true);

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3", ["d"] = "4" }, applied.Data);
        var failedTest = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/b","value":"nope"}]""", V1Patch.PatchType.JsonPatch), "cm", "apps"));
        Assert.Equal(422, (int)failedTest.Response.StatusCode);

        var created = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"},"data":{"x":"y"}}""", V1Patch.PatchType.ApplyPatch), "fresh", "apps", fieldManager: "secrets-controller");
        Assert.Equal("y", created.Data["x"]);
    }

    [Fact]
    public async Task Leases_support_create_renew_and_conflicting_takeover()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "secrets-controller" },
            Spec = new V1LeaseSpec { HolderIdentity = "pod-a", LeaseDurationSeconds = 15, RenewTime = DateTime.UtcNow },
        }, "kube-system");

        lease.Spec.RenewTime = DateTime.UtcNow;
        var renewed = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "secrets-controller", "kube-system");
        lease.Spec.HolderIdentity = "pod-b";
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "secrets-controller", "kube-system"));

        Assert.Equal(409, (int)e.Response.StatusCode);
        Assert.Equal("pod-a", fake.Get(KubeResource.Leases, "kube-system", "secrets-controller")!["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal("Lease", fake.Get(KubeResource.Leases, "kube-system", "secrets-controller")!["kind"]!.GetValue<string>());
        Assert.NotEqual(lease.Metadata.ResourceVersion, renewed.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task The_client_leader_elector_acquires_a_lease_on_the_fake()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var leaseLock = new k8s.LeaderElection.ResourceLock.LeaseLock(client, "kube-system", "secrets-controller", "pod-a");
        using var elector = new k8s.LeaderElection.LeaderElector(new k8s.LeaderElection.LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        });
        var leading = new TaskCompletionSource();
        elector.OnStartedLeading += () => leading.TrySetResult();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = elector.RunUntilLeadershipLostAsync(cancel.Token);
        await leading.Task.WaitAsync(cancel.Token);

        var stored = await fake.WaitForAsync(KubeResource.Leases, "kube-system", "secrets-controller");
        Assert.Equal("pod-a", stored["spec"]!["holderIdentity"]!.GetValue<string>());
        await cancel.CancelAsync();
        await Task.WhenAny(run);
    }
}
