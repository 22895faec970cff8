using System.Text.Json.Nodes;
using Secrets.Controller.Framework;
using Secrets.Controller.SealedSecrets;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Issue 6 item 9: real vectors, garbage collection on delete, convergence under faults, sharding by label selector.</summary>
public sealed class ConvergenceTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static Func<JsonObject, bool> Synced(string status) => ss =>
        ss["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Synced" && c["status"]?.GetValue<string>() == status)
        && ss["status"]?["observedGeneration"]?.GetValue<long>() == ss["metadata"]!["generation"]!.GetValue<long>();

    [VectorFact("sealed-secrets")]
    public async Task Vector_SealedSecrets_with_their_key_Secrets_installed_produce_the_expected_Secrets()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        foreach (var keyFile in new[] { "go-kubeseal-v0.14.1/sealed-secrets-keynvpcz.yaml", "js-kubeseal-encrypt/sealing-key-secret.yaml" })
        {
            // The Go key Secret was dumped from a cluster: server-set fields go, as on a restore into a new cluster.
            var key = YamlJson.ParseAll(File.ReadAllText(RepoPaths.Vector("sealed-secrets", keyFile))).Single()!.AsObject();
            foreach (var field in new[] { "resourceVersion", "uid", "selfLink", "creationTimestamp", "managedFields" })
            {
                key["metadata"]!.AsObject().Remove(field);
            }

            fake.Seed(key);
        }

        await using var controller = await ControllerRun.StartAsync(fake);

        var cases = new List<(string Namespace, string Name, Dictionary<string, string> Data)>();
        foreach (var folder in new[] { "go-kubeseal-v0.14.1", "js-kubeseal-encrypt" })
        {
            var expected = JsonNode.Parse(File.ReadAllText(RepoPaths.Vector("sealed-secrets", folder, "expected.json")))!;
            foreach (var item in expected["cases"]!.AsArray())
            {
                fake.SeedYaml(File.ReadAllText(RepoPaths.Vector("sealed-secrets", folder, item!["file"]!.GetValue<string>())));
                var data = item["data"]!.AsObject().Concat(item["templatedData"]!.AsObject()).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
                cases.Add((item["namespace"]!.GetValue<string>(), item["name"]!.GetValue<string>(), data));
            }
        }

        foreach (var (ns, name, data) in cases)
        {
            var secret = await fake.WaitForAsync(KubeResource.Secrets, ns, name, timeout: Bound);
            Assert.Equal(data.OrderBy(p => p.Key, StringComparer.Ordinal), secret["data"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, Value(secret, p.Key))).OrderBy(p => p.Key, StringComparer.Ordinal));
            await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), ns, name, Synced("True"), Bound);
        }

        // The strict vector renamed: its label no longer matches, so no Secret and Synced=False (expected.json "negative").
        var renamed = YamlJson.ParseAll(File.ReadAllText(RepoPaths.Vector("sealed-secrets", "js-kubeseal-encrypt", "strict.yaml"))).Single()!.AsObject();
        renamed["metadata"]!["name"] = "renamed-secret";
        fake.Seed(renamed);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "dev-ns", "renamed-secret", Synced("False"), Bound);
        Assert.Null(fake.Get(KubeResource.Secrets, "dev-ns", "renamed-secret"));
    }

    [Fact]
    public async Task Deleting_a_SealedSecret_garbage_collects_its_Secret_and_the_controller_does_not_recreate_it()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        fake.Seed(Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced("True"), Bound);

        Assert.True(fake.Delete(ControllerRun.SealedSecrets(fake), "apps", "db"));
        Assert.Null(fake.Get(KubeResource.Secrets, "apps", "db"));
        var informer = controller.Service<ResourceController<V1Alpha1SealedSecret>>().Informer;
        await fake.WaitUntilAsync(_ => informer.Get(new ObjectKey("apps", "db")) is null && controller.Service<ProducedSecrets>().Informer.Items.Count == 0, Bound);
        await Task.Delay(500);

        Assert.Null(fake.Get(KubeResource.Secrets, "apps", "db"));
        Assert.Single(fake.Requests, r => r is { Verb: "create", Resource: "secrets", Namespace: "apps", StatusCode: 201 });
    }

    [Fact]
    public async Task Under_500s_conflict_storms_and_dropped_watches_every_Secret_converges_to_its_latest_values()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        fake.Faults.FailNext(15, KubeFault.InternalError, r => r.Resource == "secrets" && r.Namespace == "apps");
        fake.Faults.FailNext(15, KubeFault.Conflict, r => r.Verb is "update" or "patch");
        fake.Faults.FailNext(5, KubeFault.ServiceUnavailable, r => r.Subresource == "status");
        fake.Faults.FailNext(3, KubeFault.DropConnection, r => r.Verb == "watch");

        const int Count = 12;
        for (var i = 0; i < Count; i++)
        {
            fake.Seed(Seal(KeySecret, "apps", $"s{i}", new Dictionary<string, string> { ["k"] = $"first-{i}" }).ToDocument());
        }

        fake.DropWatches();
        for (var i = 0; i < Count; i += 2)
        {
            // Half of them change while faults are still being served: the Secret must end with the second value.
            var resealed = Seal(KeySecret, "apps", $"s{i}", new Dictionary<string, string> { ["k"] = $"second-{i}" }).ToDocument();
            fake.Update(ControllerRun.SealedSecrets(fake), "apps", $"s{i}", ss => ss["spec"] = resealed["spec"]!.DeepClone());
        }

        fake.DropWatches();
        var bound = TimeSpan.FromSeconds(90);
        for (var i = 0; i < Count; i++)
        {
            var expected = i % 2 == 0 ? $"second-{i}" : $"first-{i}";
            await fake.WaitForAsync(KubeResource.Secrets, "apps", $"s{i}", s => Value(s, "k") == expected, bound);
            await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", $"s{i}", Synced("True"), bound);
        }

        Assert.Contains(fake.Requests, r => r.StatusCode == 409);
        Assert.Contains(fake.Requests, r => r.StatusCode == 500);
        Assert.All(fake.List(KubeResource.Secrets, "apps"), s => Assert.StartsWith(s["metadata"]!["name"]!.GetValue<string>() is var n && int.Parse(n[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "second-" : "first-", Value(s, "k"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Label_selector_shards_SealedSecrets_between_two_controllers()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var shardA = await ControllerRun.StartAsync(fake, o => o with { LabelSelector = "shard=a" });
        await using var shardB = await ControllerRun.StartAsync(fake, o => o with { LabelSelector = "shard=b" });
        foreach (var (name, shard) in new[] { ("a1", "a"), ("a2", "a"), ("b1", "b") })
        {
            var document = Seal(KeySecret, "apps", name, new Dictionary<string, string> { ["k"] = name }).ToDocument();
            document["metadata"]!["labels"] = new JsonObject { ["shard"] = shard };
            fake.Seed(document);
        }

        foreach (var name in new[] { "a1", "a2", "b1" })
        {
            await fake.WaitForAsync(KubeResource.Secrets, "apps", name, s => Value(s, "k") == name, Bound);
        }

        Assert.Equal(["a1", "a2"], shardA.Service<ResourceController<V1Alpha1SealedSecret>>().Informer.Items.Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["b1"], shardB.Service<ResourceController<V1Alpha1SealedSecret>>().Informer.Items.Select(s => s.Metadata.Name));
        Assert.Equal(2, shardA.Service<SealedSecretMetrics>().UnsealRequests.Value);
        Assert.Equal(1, shardB.Service<SealedSecretMetrics>().UnsealRequests.Value);
        Assert.Contains(fake.Requests, r => r is { Resource: "sealedsecrets", Verb: "watch", LabelSelector: "shard=a" });
    }
}
