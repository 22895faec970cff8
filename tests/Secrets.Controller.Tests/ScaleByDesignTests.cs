using System.Text.Json.Nodes;
using Secrets.Controller.Framework;
using Secrets.Controller.SealedSecrets;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Issue 6 item 10: the controller caches SealedSecrets, its own Secrets and key Secrets only; several workers; a shared retry budget.</summary>
public sealed class ScaleByDesignTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    [Fact]
    public async Task Secrets_are_only_ever_listed_and_watched_with_the_produced_or_key_label_selector()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        for (var i = 0; i < 20; i++)
        {
            fake.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = $"unrelated-{i}", ["namespace"] = "apps" },
                ["data"] = new JsonObject { ["k"] = "dg==" },
            });
        }

        await using var controller = await ControllerRun.StartAsync(fake);
        fake.Seed(Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);
        fake.DropWatches();
        fake.Compact(expireWatches: true);
        fake.Update(KubeResource.Secrets, "apps", "db", s => s["data"]!["k"] = "ZWRpdGVk");
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "k") == "v", Bound);

        Assert.Equal(ProducedSecrets.LabelValue, secret["metadata"]!["labels"]![ProducedSecrets.Label]!.GetValue<string>());
        var secretReads = fake.Requests.Where(r => r.Resource == "secrets" && r.Verb is "list" or "watch").ToList();
        Assert.Contains(secretReads, r => r.LabelSelector == ProducedSecrets.Selector && r.Verb == "watch");
        Assert.Contains(secretReads, r => r.LabelSelector == KeySecrets.ActiveSelector && r.Verb == "list");
        Assert.All(secretReads, r => Assert.True(r.LabelSelector is ProducedSecrets.Selector or KeySecrets.ActiveSelector, r.ToString()));
        var cached = controller.Service<ProducedSecrets>().Informer.Items;
        Assert.Equal(["db"], cached.Select(s => s.Metadata.Name));
    }

    [Fact]
    public async Task With_every_feature_Program_registers_no_Secret_list_or_watch_is_unselected()
    {
        await using var fake = await SopsSecrets.SopsControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        fake.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "unrelated", ["namespace"] = "apps" },
            ["data"] = new JsonObject { ["k"] = "dg==" },
        });

        await using var controller = await SopsSecrets.SopsControllerRun.StartAsync(fake);
        fake.Seed(Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);
        await fake.WaitUntilAsync(f => f.Requests.Any(r => r.Resource == "secrets" && r.Verb == "watch" && r.LabelSelector == "secrets.gitops.dev/sopssecret"), Bound);

        var secretReads = fake.Requests.Where(r => r.Resource == "secrets" && r.Verb is "list" or "watch").ToList();
        Assert.All(secretReads, r => Assert.True(
            r.LabelSelector is ProducedSecrets.Selector or KeySecrets.ActiveSelector or "secrets.gitops.dev/sopssecret"
            || r.Namespace == ControllerRun.ControllerNamespace, // the SOPS decryption Secret, selected by name
            r.ToString()));
    }

    [Fact]
    public async Task The_host_runs_several_workers_by_default()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        await using var controller = await ControllerRun.StartAsync(fake);
        Assert.True(controller.Service<ControllerSettings>().Concurrency >= 4);
    }

    [Fact]
    public void Retries_share_a_token_bucket_after_the_burst()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(10, 3, time);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], new[] { bucket.Reserve(), bucket.Reserve(), bucket.Reserve() });
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.Reserve());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());

        using var queue = new WorkQueue(new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)), time, new TokenBucket(1, 1, time));
        Assert.Equal(TimeSpan.FromMilliseconds(1), queue.AddRateLimited(new ObjectKey("a", "x")));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited(new ObjectKey("a", "y")));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
