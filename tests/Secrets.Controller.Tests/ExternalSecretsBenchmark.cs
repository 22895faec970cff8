using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;
using Secrets.TestSupport.Fakes.Vault;
using Xunit.Abstractions;
using static Secrets.Controller.Tests.ControllerBenchmark;

namespace Secrets.Controller.Tests;

/// <summary>
/// Issue 8 items 6 and 7. The controller runs as its own process with <c>--enable-external-secrets</c> and default settings
/// against the loopback FakeKubeApiServer, and N ExternalSecrets (default refreshInterval) read one Vault KV v2 secret each
/// from a FakeVault that delays every KV request by 20 ms. Figures: time to the first full sync, time-to-Ready of a new
/// ExternalSecret created while the first sync is half done (it must not queue behind the rest) and after it, Vault calls
/// per ExternalSecret for that cycle and in a quiet window after it, peak RSS (VmHWM) and CPU time of the controller.
/// </summary>
public sealed class ExternalSecretsBenchmark(ITestOutputHelper output)
{
    private const string Namespace = "bench";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    [BenchFact("scripts/bench-eso.sh", "SECRETS_ESO_BENCH")]
    public async Task First_sync_new_object_latency_provider_calls_and_peak_rss()
    {
        var counts = Environment.GetEnvironmentVariable("SECRETS_ESO_BENCH")!.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture));
        var latency = TimeSpan.FromMilliseconds(Env("SECRETS_ESO_BENCH_LATENCY_MS", 20));
        var concurrency = Env("SECRETS_ESO_BENCH_CONCURRENCY", 4);
        foreach (var count in counts)
        {
            await RunAsync(count, latency, concurrency);
        }
    }

    private async Task RunAsync(int count, TimeSpan latency, int concurrency)
    {
        await using var vault = await FakeVault.StartAsync();
        vault.Faults.Delay(latency, r => r.Path.StartsWith("secret/", StringComparison.Ordinal));
        for (var i = 0; i < count + 10; i++)
        {
            vault.PutKv("secret", $"app/s{i}", new Dictionary<string, string> { ["password"] = $"pw-{i}" });
        }

        await using var fake = await ControllerRun.StartFakeAsync(new FakeKubeApiServerOptions { EventLogCapacity = 10 * count + 1000 });
        foreach (var crd in Directory.GetFiles(Path.Combine(RepoPaths.Root, "controller", "deploy", "external-secrets", "crds"), "*.yaml"))
        {
            fake.SeedYaml(await File.ReadAllTextAsync(crd));
        }

        var externalSecrets = fake.Resources.Single(r => r.Plural == "externalsecrets");
        TestKeys.SeedKey(fake, TestKeys.KeySecret);
        fake.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "vault-token", ["namespace"] = Namespace },
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(vault.RootToken)) },
        });
        fake.SeedYaml($"""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {"{"}name: vault, namespace: {Namespace}{"}"}
            spec:
              provider:
                vault:
                  server: "{vault.Address}"
                  path: secret
                  version: v2
                  auth:
                    tokenSecretRef: {"{"}name: vault-token, key: token{"}"}
            """);
        for (var i = 0; i < count; i++)
        {
            fake.Seed(ExternalSecret($"es{i}", i));
        }

        using var temp = new TempDirectory();
        var kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig"));
        output.WriteLine($"setup N={count}: {count} ExternalSecrets on one Vault KV v2 SecretStore, {latency.TotalMilliseconds:F0} ms per Vault KV request, concurrency {concurrency}; {Load()}");

        var clock = Stopwatch.StartNew();
        await using var controller = ControllerProcess.Start(kubeconfig, concurrency, "--enable-external-secrets");
        bool Ready(string name) =>
            fake.Get(externalSecrets, Namespace, name)?["status"]?["conditions"] is JsonArray conditions
            && conditions.Any(c => c?["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True");
        int Synced() => fake.List(KubeResource.Secrets, Namespace).Count - 1;

        // 1. First full sync; halfway through, one new ExternalSecret is created: it must not wait behind the other half.
        TimeSpan? createdDuring = null;
        TimeSpan? readyDuring = null;
        while (Synced() < count + (createdDuring is null ? 0 : 1))
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"{Synced()}/{count} synced after {Limit}");
            }

            if (createdDuring is null && Synced() >= count / 2)
            {
                fake.Seed(ExternalSecret("new-during-sync", count));
                createdDuring = clock.Elapsed;
            }

            if (createdDuring is { } created && readyDuring is null && Ready("new-during-sync"))
            {
                readyDuring = clock.Elapsed - created;
            }

            await Task.Delay(100);
        }

        var firstSync = clock.Elapsed;
        await WaitAsync(() => Ready("new-during-sync"));
        readyDuring ??= clock.Elapsed - createdDuring!.Value;
        await WaitAsync(() => fake.List(externalSecrets, Namespace).All(e => e["status"]?["conditions"]?[0]?["status"]?.ToString() == "True"));
        var allReady = clock.Elapsed;
        var cycleCalls = vault.Requests.Count;
        var cycleReads = vault.Requests.Count(r => r.Path.StartsWith("secret/", StringComparison.Ordinal));
        output.WriteLine($"first full sync N={count}: all {count} Secrets {firstSync.TotalSeconds:F1} s after process start, all Ready {allReady.TotalSeconds:F1} s ({count / allReady.TotalSeconds:F0} ExternalSecrets/s); Vault requests {cycleCalls} = {(double)cycleCalls / (count + 1):F2} per ExternalSecret ({cycleReads} KV reads); {Load()}");
        output.WriteLine($"new ExternalSecret created halfway through the first sync (N={count}): Ready in {readyDuring.Value.TotalSeconds:F2} s");

        // 2. Quiet window: nothing changed, so the default 1h refresh makes no provider call.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var quietCalls = vault.Requests.Count - cycleCalls;

        // 3. Time-to-Ready of new ExternalSecrets, one at a time, while N others exist.
        var latencies = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var name = $"new-{i}";
            var started = Stopwatch.StartNew();
            fake.Seed(ExternalSecret(name, count + 1 + i));
            await WaitAsync(() => Ready(name));
            latencies.Add(started.Elapsed.TotalMilliseconds);
        }

        var cpu = Process.GetProcessById(controller.Id).TotalProcessorTime;
        output.WriteLine($"new ExternalSecret after the sync with N={count} others: Ready in {latencies.Min():F0}-{latencies.Max():F0} ms (5 samples); Vault requests in a quiet 10 s window {quietCalls}");
        output.WriteLine($"controller N={count}: peak RSS {controller.PeakRssMiB():F0} MiB (now {controller.Memory()}), CPU {cpu.TotalSeconds:F1} s (user+sys) over {clock.Elapsed.TotalSeconds:F0} s; {Load()}");
        foreach (var line in controller.Timeline.Where(l => l.Contains("memory:", StringComparison.Ordinal)).TakeLast(5))
        {
            // Only with SECRETS_CONTROLLER_MEMORY_TRACE_INTERVAL set (--memory-trace-interval, docs/controller.md "Memory").
            output.WriteLine($"controller N={count} timeline: {line}");
        }
    }

    private static JsonObject ExternalSecret(string name, int index) => new()
    {
        ["apiVersion"] = "external-secrets.io/v1",
        ["kind"] = "ExternalSecret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["secretStoreRef"] = new JsonObject { ["name"] = "vault", ["kind"] = "SecretStore" },
            ["data"] = new JsonArray(new JsonObject
            {
                ["secretKey"] = "password",
                ["remoteRef"] = new JsonObject { ["key"] = $"app/s{index}", ["property"] = "password" },
            }),
        },
    };

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Limit)
            {
                throw new TimeoutException("condition not met");
            }

            await Task.Delay(20);
        }
    }
}
