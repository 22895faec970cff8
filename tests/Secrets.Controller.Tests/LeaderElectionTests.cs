using Secrets.Controller.Framework;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Two replicas, one coordination.k8s.io Lease: one reconciles, the other takes over when it stops.</summary>
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task Only_the_lease_holder_reconciles_and_the_other_replica_takes_over_when_it_stops()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        var a = await ControllerRun.StartAsync(fake, o => o with { LeaderElect = true, Identity = "replica-a", KeyRenewPeriod = TimeSpan.Zero });
        await using var b = await ControllerRun.StartAsync(fake, o => o with { LeaderElect = true, Identity = "replica-b", KeyRenewPeriod = TimeSpan.Zero });
        ControllerRun[] replicas = [a, b];
        await fake.WaitUntilAsync(_ => replicas.Count(r => r.Service<ControllerManager>().IsLeader) == 1, ControllerRun.Bound);
        var leader = replicas.Single(r => r.Service<ControllerManager>().IsLeader);
        var follower = replicas.Single(r => r != leader);
        var lease = fake.Get(KubeResource.Leases, ControllerRun.ControllerNamespace, "sealed-secrets-controller")!;
        Assert.Equal(leader == a ? "replica-a" : "replica-b", lease["spec"]!["holderIdentity"]!.GetValue<string>());

        fake.Seed(Seal(KeySecret, "apps", "first", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "first", timeout: ControllerRun.Bound);
        Assert.False(follower.Service<ControllerManager>().IsLeader);

        await leader.DisposeAsync();
        await fake.WaitUntilAsync(_ => follower.Service<ControllerManager>().IsLeader, ControllerRun.Bound);
        fake.Seed(Seal(KeySecret, "apps", "second", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "second", timeout: ControllerRun.Bound);
        if (leader != a)
        {
            await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_leader_that_shuts_down_releases_the_lease_so_its_successor_need_not_wait_for_expiry()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        // A lease far longer than the test's bound: only a release can let the successor in.
        Task<ControllerRun> StartAsync(string identity) => ControllerRun.StartAsync(fake, o => o with
        {
            LeaderElect = true,
            Identity = identity,
            KeyRenewPeriod = TimeSpan.Zero,
            LeaseDuration = TimeSpan.FromMinutes(10),
            RenewDeadline = TimeSpan.FromSeconds(5),
        });
        var old = await StartAsync("replica-old");
        await fake.WaitUntilAsync(_ => old.Service<ControllerManager>().IsLeader, ControllerRun.Bound);

        await old.DisposeAsync();
        var lease = fake.Get(KubeResource.Leases, ControllerRun.ControllerNamespace, "sealed-secrets-controller")!;
        Assert.Equal("", lease["spec"]!["holderIdentity"]?.GetValue<string>() ?? "");

        await using var successor = await StartAsync("replica-new");
        await fake.WaitUntilAsync(_ => successor.Service<ControllerManager>().IsLeader, ControllerRun.Bound);
        fake.Seed(Seal(KeySecret, "apps", "after", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "after", timeout: ControllerRun.Bound);
    }
}
