using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.SealedSecrets;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>
/// Issues 6 and 8 (memory): the informers cache compact entries (no Secret data, no SealedSecret spec, no managedFields),
/// and the controller still reconciles, heals drift and updates from them.
/// </summary>
public sealed class CompactCacheTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static Dictionary<string, string> Values(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Func<JsonObject, bool> Synced => ss =>
        ss["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Synced" && c["status"]?.GetValue<string>() == "True")
        && ss["status"]?["observedGeneration"]?.GetValue<long>() == ss["metadata"]!["generation"]!.GetValue<long>();

    [Fact]
    public async Task With_only_compact_entries_cached_drift_is_reverted_and_a_new_spec_is_unsealed()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        fake.Seed(Seal(KeySecret, "apps", "db", Values(("password", "v1"))).ToDocument());
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced, Bound);

        var key = new ObjectKey("apps", "db");
        var sealedSecrets = controller.Service<ResourceController<V1Alpha1SealedSecret>>().Informer;
        var produced = controller.Service<ProducedSecrets>().Informer;
        await fake.WaitUntilAsync(_ => sealedSecrets.Get(key)?.SyncedStatus?.Status == "True", Bound);
        var cachedSealedSecret = sealedSecrets.Get(key)!;
        var whole = KubernetesJson.Deserialize<V1Alpha1SealedSecret>(fake.Get(ControllerRun.SealedSecrets(fake), "apps", "db")!.ToJsonString());
        Assert.Null(cachedSealedSecret.Spec);
        Assert.Equal(UnsealStamp.Inputs(whole), cachedSealedSecret.CachedInputs);
        Assert.Null(cachedSealedSecret.Status);
        Assert.Equal(whole.SyncedStatus, cachedSealedSecret.SyncedStatus);
        Assert.Throws<InvalidOperationException>(() => cachedSealedSecret.ToSealedSecret());

        var cachedSecret = Assert.IsType<HashedSecret>(produced.Get(key));
        var stored = KubernetesJson.Deserialize<V1Secret>(fake.Get(KubeResource.Secrets, "apps", "db")!.ToJsonString());
        Assert.Null(cachedSecret.Data);
        Assert.Equal(OwnedSecret.Hash(stored), cachedSecret.ContentHash);

        // Drift: the cached entry's hash no longer matches the stamp, so the controller unseals and writes again.
        fake.Update(KubeResource.Secrets, "apps", "db", s => s["data"]!["password"] = Convert.ToBase64String("edited"u8.ToArray()));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "password") == "v1", Bound);

        // A new spec: the compact entry has none, so the reconciler reads the SealedSecret from the API server.
        var resealed = Seal(KeySecret, "apps", "db", Values(("password", "v2")));
        fake.Update(ControllerRun.SealedSecrets(fake), "apps", "db", ss => ss["spec"]!["encryptedData"] = resealed.ToDocument()["spec"]!["encryptedData"]!.DeepClone());
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "password") == "v2", Bound);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced, Bound);
        Assert.Null(produced.Get(key)!.Data);
    }

    [Fact]
    public void A_hashed_Secret_answers_the_hash_of_the_data_it_was_cached_from_whatever_its_annotations_say()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "apps", ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }] },
            Data = new Dictionary<string, byte[]> { ["password"] = "v1"u8.ToArray() },
        };
        var expected = OwnedSecret.Hash(secret);

        var cached = ProducedSecrets.Compact(secret);

        var hashed = Assert.IsType<HashedSecret>(cached);
        Assert.Null(hashed.Data);
        Assert.Null(hashed.Metadata.ManagedFields);
        Assert.Equal(expected, OwnedSecret.Hash(hashed));
    }

    [Fact]
    public void Secrets_only_routed_to_their_owner_are_cached_without_data()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "target", NamespaceProperty = "apps", ManagedFields = [new V1ManagedFieldsEntry { Manager = "eso" }] },
            Data = new Dictionary<string, byte[]> { ["token"] = "t"u8.ToArray() },
            StringData = new Dictionary<string, string> { ["other"] = "o" },
            Type = "Opaque",
        };

        var cached = CacheCompaction.MetadataOnly(secret);

        Assert.Null(cached.Data);
        Assert.Null(cached.StringData);
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Equal(("target", "Opaque"), (cached.Metadata.Name, cached.Type));
    }

    [Fact]
    public void Cached_objects_share_one_instance_of_their_repeated_strings_and_keep_their_values()
    {
        // Two Secrets as two list pages deliver them: equal strings, separate instances (new string(...) defeats literals).
        V1Secret Received(string name) => KubernetesJson.Deserialize<V1Secret>($$$"""
            {"apiVersion":"v1","kind":"Secret","type":"Opaque",
             "metadata":{"name":"{{{name}}}","namespace":"apps","uid":"uid-{{{name}}}",
               "labels":{"app":"web","hash":"{{{new string('h', 56)}}}-{{{name}}}"},
               "annotations":{"secrets.gitops.dev/unsealed":"stamp-{{{name}}}"},
               "ownerReferences":[{"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","name":"{{{name}}}","uid":"uid-ss-{{{name}}}","controller":true}]}}
            """);
        var first = ProducedSecrets.Compact(Received("a"));
        var second = ProducedSecrets.Compact(Received("b"));

        Assert.Same(first.Metadata.NamespaceProperty, second.Metadata.NamespaceProperty);
        Assert.Same(first.ApiVersion, second.ApiVersion);
        Assert.Same(first.Kind, second.Kind);
        Assert.Same(first.Type, second.Type);
        Assert.Same(first.Metadata.Labels.Keys.First(), second.Metadata.Labels.Keys.First());
        Assert.Same(first.Metadata.Labels["app"], second.Metadata.Labels["app"]);
        Assert.Same(first.Metadata.Annotations.Keys.Single(), second.Metadata.Annotations.Keys.Single());
        Assert.Same(first.Metadata.OwnerReferences[0].ApiVersion, second.Metadata.OwnerReferences[0].ApiVersion);
        Assert.Same(first.Metadata.OwnerReferences[0].Kind, second.Metadata.OwnerReferences[0].Kind);

        // Values are unchanged, and per-object ones (a long hash label, the stamp) are not pooled.
        Assert.Equal(("apps", "web", "stamp-b"), (second.Metadata.NamespaceProperty, second.Metadata.Labels["app"], second.Metadata.Annotations["secrets.gitops.dev/unsealed"]));
        Assert.Equal(new string('h', 56) + "-b", second.Metadata.Labels["hash"]);
        Assert.NotSame(StringPool.Shared(new string('h', 56) + "-b"), second.Metadata.Labels["hash"]);
        Assert.Equal(("bitnami.com/v1alpha1", "SealedSecret", "b"), (second.Metadata.OwnerReferences[0].ApiVersion, second.Metadata.OwnerReferences[0].Kind, second.Metadata.OwnerReferences[0].Name));

        // The produced-Secret cache keeps its maps read-only: a write must build a new object.
        Assert.Equal(["app", "hash"], second.Metadata.Labels.Keys.Order(StringComparer.Ordinal));
        Assert.True(second.Metadata.Annotations.TryGetValue("secrets.gitops.dev/unsealed", out var stamp) && stamp == "stamp-b");
        Assert.False(second.Metadata.Labels.ContainsKey("missing"));
        Assert.Throws<NotSupportedException>(() => second.Metadata.Labels["app"] = "other");
        Assert.Equal("web", second.Metadata.Labels["app"]);
    }
}
