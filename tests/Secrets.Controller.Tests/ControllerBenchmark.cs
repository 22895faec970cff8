using System.Diagnostics;
using System.Globalization;
using Secrets.TestSupport.Fakes.Kubernetes;
using Xunit.Abstractions;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Runs only when SECRETS_CONTROLLER_BENCH is set (scripts/bench-controller.sh); prints figures, asserts no timings.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH") is not { Length: > 0 })
        {
            Skip = "benchmark: run scripts/bench-controller.sh";
        }
    }
}

public sealed class ControllerBenchmark(ITestOutputHelper output)
{
    [BenchFact]
    public async Task Time_to_ready_and_reconciles_per_second_with_N_SealedSecrets()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH") ?? "200", CultureInfo.InvariantCulture);
        var keySize = int.Parse(Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH_KEY_SIZE") ?? "4096", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH_CONCURRENCY") ?? "2", CultureInfo.InvariantCulture);
        await using var fake = await ControllerRun.StartFakeAsync(new FakeKubeApiServerOptions { EventLogCapacity = 100_000 });
        var key = new Secrets.Controller.SealedSecrets.Keys.KeyGenerator(keySize, TimeSpan.FromDays(3650), "", "sealed-secrets-key").Generate(ControllerRun.ControllerNamespace);
        key.Metadata.Name = "sealed-secrets-keybench";
        SeedKey(fake, key);
        for (var i = 0; i < count; i++)
        {
            fake.Seed(Seal(key, "bench", $"s{i}", new Dictionary<string, string> { ["user"] = "app", ["password"] = $"pw-{i}" }).ToDocument());
        }

        var started = Stopwatch.StartNew();
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { Concurrency = concurrency, KeyRenewPeriod = TimeSpan.Zero });
        var listening = started.Elapsed;
        await fake.WaitUntilAsync(f => f.List(KubeResource.Secrets, "bench").Count == count, TimeSpan.FromMinutes(10));
        var converged = started.Elapsed;

        // Steady state: every spec changes once (re-sealed values), measured until every Secret holds the new value.
        var resealed = Enumerable.Range(0, count).Select(i => Seal(key, "bench", $"s{i}", new Dictionary<string, string> { ["user"] = "app", ["password"] = $"pw2-{i}" })).ToList();
        var updateStarted = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var data = resealed[i].ToDocument()["spec"]!["encryptedData"]!;
            fake.Update(ControllerRun.SealedSecrets(fake), "bench", $"s{i}", ss => ss["spec"]!["encryptedData"] = data.DeepClone());
        }

        await fake.WaitUntilAsync(f => f.List(KubeResource.Secrets, "bench").All(s => Value(s, "password").StartsWith("pw2-", StringComparison.Ordinal)), TimeSpan.FromMinutes(10));
        var updated = updateStarted.Elapsed;

        output.WriteLine($"SealedSecrets: {count} (2 items each), RSA-{keySize}, concurrency {concurrency}");
        output.WriteLine($"host started: {listening.TotalMilliseconds:F0} ms");
        output.WriteLine($"time to ready (start -> all {count} Secrets created): {converged.TotalSeconds:F2} s ({count / (converged - listening).TotalSeconds:F1} reconciles/s after start)");
        output.WriteLine($"spec updates of all {count}: {updated.TotalSeconds:F2} s ({count / updated.TotalSeconds:F1} reconciles/s)");
    }
}
