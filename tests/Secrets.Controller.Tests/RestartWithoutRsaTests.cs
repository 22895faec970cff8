using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Secrets.Controller.SealedSecrets;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Issue 6 item 6: produced Secrets carry an <see cref="UnsealStamp"/>; a restart that finds them current does no RSA operation.</summary>
public sealed class RestartWithoutRsaTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static Dictionary<string, string> Values(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Func<JsonObject, bool> Synced => ss =>
        ss["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Synced" && c["status"]?.GetValue<string>() == "True");

    private static async Task SyncTwoAsync(FakeKubeApiServer fake)
    {
        await using var first = await ControllerRun.StartAsync(fake);
        fake.Seed(Seal(KeySecret, "apps", "a", Values(("k", "1"))).ToDocument());
        fake.Seed(Seal(KeySecret, "apps", "b", Values(("k", "2"))).ToDocument());
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "a", Synced, Bound);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "b", Synced, Bound);
        Assert.Equal(2, first.Service<SealedSecretMetrics>().UnsealRequests.Value);
    }

    [Fact]
    public async Task A_restart_finds_stamped_Secrets_current_and_unseals_and_writes_nothing()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await SyncTwoAsync(fake);
        var stamp = fake.Get(KubeResource.Secrets, "apps", "a")!["metadata"]!["annotations"]![UnsealStamp.Annotation]!.GetValue<string>();
        Assert.StartsWith("v1;inputs=", stamp, StringComparison.Ordinal);

        fake.ClearRequests();
        await using var second = await ControllerRun.StartAsync(fake);
        var metrics = second.Service<SealedSecretMetrics>();
        await fake.WaitUntilAsync(_ => metrics.UnsealSkipped.Value >= 2, Bound);
        await Task.Delay(300);

        Assert.Equal(0, metrics.UnsealRequests.Value);
        Assert.Equal(2, metrics.UnsealSkipped.Value);
        Assert.DoesNotContain(fake.Requests, r => r.Resource == "secrets" && r.Namespace == "apps");
        Assert.DoesNotContain(fake.Requests, r => r.Subresource == "status");
    }

    [Fact]
    public async Task An_edit_made_while_the_controller_was_down_fails_the_stamp_and_is_reverted()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await SyncTwoAsync(fake);
        fake.Update(KubeResource.Secrets, "apps", "a", s => s["data"]!["k"] = "ZWRpdGVk");

        await using var second = await ControllerRun.StartAsync(fake);
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "a", s => Value(s, "k") == "1", Bound);
        var metrics = second.Service<SealedSecretMetrics>();
        await fake.WaitUntilAsync(_ => metrics.UnsealSkipped.Value >= 1, Bound);

        Assert.Equal(1, metrics.UnsealRequests.Value);
    }

    [Fact]
    public async Task Without_the_recorded_key_a_restart_must_unseal_and_keeps_the_Secret_when_it_cannot()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await SyncTwoAsync(fake);
        fake.Delete(KubeResource.Secrets, ControllerRun.ControllerNamespace, KeySecret.Metadata.Name);
        SeedKey(fake, OtherKeySecret);

        await using var second = await ControllerRun.StartAsync(fake);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "a", ss => !Synced(ss), Bound);

        Assert.Equal(0, second.Service<SealedSecretMetrics>().UnsealSkipped.Value);
        Assert.Equal("1", Value(fake.Get(KubeResource.Secrets, "apps", "a")!, "k"));
    }

    [Fact]
    public void Stamp_holds_for_the_same_inputs_and_a_grown_key_set_only()
    {
        var registry = new KeyRegistry(NullLogger<KeyRegistry>.Instance);
        registry.Upsert(KeySecret);
        var resource = Resource(Seal(KeySecret, "apps", "db", Values(("k", "v"))));
        var inputs = UnsealStamp.Inputs(resource);
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "apps", Annotations = new Dictionary<string, string>() },
            Data = new Dictionary<string, byte[]> { ["k"] = "v"u8.ToArray() },
        };
        secret.Metadata.Annotations[UnsealStamp.Annotation] = UnsealStamp.Create(inputs, registry.Keys.Fingerprints, secret, registry)!;

        Assert.True(UnsealStamp.Verify(secret, inputs, registry));
        registry.Upsert(OtherKeySecret);
        Assert.True(UnsealStamp.Verify(secret, inputs, registry));

        var resealed = Resource(Seal(KeySecret, "apps", "db", Values(("k", "v"))));
        Assert.False(UnsealStamp.Verify(secret, UnsealStamp.Inputs(resealed), registry));

        secret.Data["k"] = "w"u8.ToArray();
        Assert.False(UnsealStamp.Verify(secret, inputs, registry));
        secret.Data["k"] = "v"u8.ToArray();
        var good = secret.Metadata.Annotations[UnsealStamp.Annotation];
        secret.Metadata.Annotations[UnsealStamp.Annotation] = good[..^1] + (good[^1] == '0' ? "1" : "0");
        Assert.False(UnsealStamp.Verify(secret, inputs, registry));
        secret.Metadata.Annotations[UnsealStamp.Annotation] = good;
        Assert.True(UnsealStamp.Verify(secret, inputs, registry));
        registry.Remove(KeySecret.Metadata.Name);
        Assert.False(UnsealStamp.Verify(secret, inputs, registry));
    }

    private static V1Alpha1SealedSecret Resource(Sealing.SealedSecret sealedSecret)
    {
        var resource = k8s.KubernetesJson.Deserialize<V1Alpha1SealedSecret>(sealedSecret.ToDocument().ToJsonString());
        resource.Metadata.Uid = "uid-1";
        return resource;
    }
}
