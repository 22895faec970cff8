using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Secrets.Controller.SealedSecrets;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;
using Xunit.Abstractions;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>
/// Issue 6 item 11. The controller runs as its own process (<c>dotnet Secrets.Controller.dll</c>, as in the image) against the
/// in-process FakeKubeApiServer, so its peak RSS (<c>VmHWM</c>) is its own. Phases: cold unsealing of N SealedSecrets (one
/// value each), create-to-Secret latency, then a restart with the N synced plus 3N unrelated Secrets in the cluster.
/// </summary>
public sealed partial class ControllerBenchmark(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    [BenchFact("scripts/bench-controller.sh", "SECRETS_CONTROLLER_BENCH")]
    public async Task Cold_unseal_latency_and_restart_with_N_SealedSecrets_and_3N_unrelated_Secrets()
    {
        var count = Env("SECRETS_CONTROLLER_BENCH", 10_000);
        var keySize = Env("SECRETS_CONTROLLER_BENCH_KEY_SIZE", 4096);
        var concurrency = Env("SECRETS_CONTROLLER_BENCH_CONCURRENCY", 4);
        var coldCount = Math.Min(count, Env("SECRETS_CONTROLLER_BENCH_COLD", Math.Min(count, 1000)));
        var latencySamples = Math.Min(200, Math.Max(10, coldCount / 20));
        await using var fake = await ControllerRun.StartFakeAsync(new FakeKubeApiServerOptions { EventLogCapacity = 200_000 });
        fake.SeedYaml(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "controller", "deploy", "crds", "sopssecret.yaml")));
        using var temp = new TempDirectory();
        var kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig"));
        var key = new SealedSecrets.Keys.KeyGenerator(keySize, TimeSpan.FromDays(3650), "", "sealed-secrets-key").Generate(ControllerRun.ControllerNamespace);
        key.Metadata.Name = "sealed-secrets-keybench";
        SeedKey(fake, key);
        var sealing = Stopwatch.StartNew();
        var documents = Enumerable.Range(0, coldCount).AsParallel().AsOrdered()
            .Select(i => Seal(key, "bench", $"s{i}", new Dictionary<string, string> { ["password"] = $"pw-{i}" }).ToDocument()).ToList();
        foreach (var document in documents)
        {
            fake.Seed(document);
        }

        output.WriteLine($"setup: {coldCount} SealedSecrets (1 value each, RSA-{keySize}) sealed and stored in {sealing.Elapsed.TotalSeconds:F1} s; concurrency {concurrency}; {Load()}");

        // 1. Cold: nothing produced yet, every SealedSecret needs one RSA private operation.
        double coldPeak;
        var latencies = new List<double>();
        await using (var cold = ControllerProcess.Start(kubeconfig, concurrency))
        {
            var ready = await cold.WaitForMetricAsync("secrets_controller_reconcile_total{controller=\"sealedsecret\",result=\"success\"}", coldCount, Limit);
            await fake.WaitUntilAsync(f => f.List(KubeResource.Secrets, "bench").Count == coldCount, TimeSpan.FromMinutes(2));
            var produced = fake.List(KubeResource.Secrets, "bench");
            var cpu = cold.CpuSeconds();
            output.WriteLine($"cold: {produced.Count}/{coldCount} Secrets in {ready.TotalSeconds:F1} s after process start = {coldCount / ready.TotalSeconds:F1} values/s unsealed (wall, start-up included); controller CPU {cpu:F1} s = {coldCount / cpu:F1} values per CPU-second; peak RSS {cold.PeakRssMiB():F0} MiB; now {cold.Memory()}; {Load()}");
            Assert.Equal(coldCount, produced.Count);

            // 2. Create-to-Secret latency on a warm controller, one at a time.
            for (var i = 0; i < latencySamples; i++)
            {
                var document = Seal(key, "latency", $"l{i}", new Dictionary<string, string> { ["password"] = "x" }).ToDocument();
                var started = Stopwatch.StartNew();
                fake.Seed(document);
                await fake.WaitForAsync(KubeResource.Secrets, "latency", $"l{i}", timeout: TimeSpan.FromMinutes(1));
                latencies.Add(started.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            output.WriteLine($"create-to-Secret latency over {latencySamples}: p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms; {Load()}");
            coldPeak = cold.PeakRssMiB();
        }

        // 3. Restart: N + samples synced SealedSecrets and 3N unrelated Secrets; the restart must need no RSA at all. Beyond
        // the cold phase's, the synced pairs are seeded as the controller writes them (the restart's RSA count proves it).
        var seeding = Stopwatch.StartNew();
        await SeedSyncedAsync(fake, kubeconfig, key, coldCount, count);
        for (var i = 0; i < 3 * count; i++)
        {
            fake.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = $"unrelated-{i}", ["namespace"] = $"team-{i % 20}" },
                ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"value-{i}-padding-to-look-like-a-real-token")) },
            });
        }

        output.WriteLine($"setup: {count - coldCount} synced SealedSecrets seeded with their Secrets, {3 * count} unrelated Secrets, in {seeding.Elapsed.TotalSeconds:F1} s; {Load()}");
        var total = count + latencySamples;
        await RestartAsync("restart", []);

        // Runtime settings compared on the same seeded cluster, e.g. "gen0=DOTNET_GCGen0MaxBudget=800000;conserve=DOTNET_GCConserveMemory=5"
        // (the AOT runtime reads hex without 0x, and the names are case-sensitive).
        foreach (var variant in (Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH_VARIANTS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (label, settings) = variant.Split('=', 2) is [var name, var rest] ? (name, rest) : (variant, "");
            var environment = settings.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1]);
            await RestartAsync($"restart [{label}: {settings}]", environment);
        }

        async Task RestartAsync(string label, Dictionary<string, string> environment)
        {
            fake.ClearRequests();
            await using var restart = ControllerProcess.Start(kubeconfig, concurrency, environment);
            var synced = await restart.WaitForMetricAsync("secrets_controller_sealedsecret_unseal_skipped_total", total, Limit);
            var metrics = await restart.MetricsAsync();
            var restartCpu = restart.CpuSeconds();
            foreach (var line in restart.Timeline)
            {
                output.WriteLine(label + " timeline: " + line);
            }

            output.WriteLine($"{label}: {total} synced SealedSecrets + {3 * count} unrelated Secrets: all confirmed in {synced.TotalSeconds:F2} s after process start (controller CPU {restartCpu:F2} s), RSA unseals {Metric(metrics, "sealed_secrets_controller_unseal_requests_total")}, status writes {fake.Requests.Count(r => r.Subresource == "status" && r.Verb == "patch")}, peak RSS {restart.PeakRssMiB():F0} MiB (cold phase peak {coldPeak:F0} MiB); now {restart.Memory()}; {Load()}");
            if (Env("SECRETS_CONTROLLER_BENCH_HOLD", 0) is > 0 and var hold)
            {
                // Keeps the restarted controller alive for a look from outside (dotnet-gcdump, /proc/PID/smaps).
                output.WriteLine($"holding controller pid {restart.Id} for {hold} s");
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "secrets-controller-bench.pid"), restart.Id.ToString(CultureInfo.InvariantCulture));
                await Task.Delay(TimeSpan.FromSeconds(hold));
                output.WriteLine($"after hold: {restart.Memory()}");
            }
        }
    }

    /// <summary>
    /// SealedSecrets <paramref name="from"/>..<paramref name="to"/> in the state the controller leaves them: the Secret built
    /// like an unseal builds it (template metadata, owner, label, stamp) and the Synced status written by the controller's
    /// own <see cref="SealedSecretStatus"/> over HTTP. One cluster-wide sealed value serves them all (sealing thousands of
    /// values one by one would dominate the run); the stamp still binds each Secret to its own SealedSecret's uid and name.
    /// </summary>
    private static async Task SeedSyncedAsync(FakeKubeApiServer fake, string kubeconfig, V1Secret key, int from, int to)
    {
        var registry = new KeyRegistry(NullLogger<KeyRegistry>.Instance);
        registry.Upsert(key);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var status = new SealedSecretStatus(client, new SealedSecretMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())));
        var sealedOnce = Seal(key, "bench", "seeded", new Dictionary<string, string> { ["password"] = "pw-seeded" }, scope: Sealing.SealedSecretScope.ClusterWide);
        await Parallel.ForEachAsync(Enumerable.Range(from, Math.Max(0, to - from)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var document = sealedOnce.ToDocument();
            document["metadata"]!["name"] = $"s{i}";
            var stored = fake.Seed(document);
            var resource = KubernetesJson.Deserialize<V1Alpha1SealedSecret>(stored.ToJsonString());
            var unsealed = new Sealing.SecretManifest
            {
                Metadata = sealedOnce.Template.Metadata.Clone(),
                Type = sealedOnce.Template.Type,
                Immutable = sealedOnce.Template.Immutable,
            };
            unsealed.Data["password"] = System.Text.Encoding.UTF8.GetBytes("pw-seeded");
            unsealed.Metadata.Name = resource.Metadata.Name;
            unsealed.Metadata.Namespace = resource.Metadata.NamespaceProperty;
            var secret = OwnedSecret.Desired(resource, unsealed);
            var stamp = UnsealStamp.Create(UnsealStamp.Inputs(resource), registry.Keys.Fingerprints, secret, registry)!;
            secret.Metadata.Annotations = new Dictionary<string, string>(secret.Metadata.Annotations ?? new Dictionary<string, string>()) { [UnsealStamp.Annotation] = stamp };
            fake.Seed(ToJson(secret));
            await status.SetAsync(resource, true, "Unsealed", "", cancellationToken);
        });
    }

    /// <summary>Loggers whose Information lines mark the phases of a start (host up, lists done, workers started).</summary>
    private static readonly string[] Milestones = ["Microsoft.Hosting.Lifetime", "Secrets.Controller.Informer", "Secrets.Controller.sealedsecret", "Secrets.Controller.Framework.ControllerManager", "Secrets.Controller.Hosting.MemoryTrace"];

    [GeneratedRegex("\"Message\":\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex MessagePattern();

    internal static int Env(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal static string Load() => "load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0];

    internal static double Metric(string text, string name) =>
        Regex.Match(text, "^" + Regex.Escape(name) + @" ([0-9.e+]+)$", RegexOptions.Multiline) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>The published controller entry point as a child process, with its own metrics listener.</summary>
    internal sealed class ControllerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;
        private readonly Stopwatch _started;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _timeline = new();

        private ControllerProcess(Process process, int port, Stopwatch started)
        {
            _process = process;
            _started = started;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public static ControllerProcess Start(string kubeconfig, int concurrency, params string[] extra) => Start(kubeconfig, concurrency, new Dictionary<string, string>(), extra);

        public static ControllerProcess Start(string kubeconfig, int concurrency, IReadOnlyDictionary<string, string> environment, params string[] extra)
        {
            var port = FreePort();
            // The script publishes the controller as the Dockerfile does (Native AOT: an executable); the JIT build output
            // (a .dll run by `dotnet`) is the fallback. A variant may name another build in the same variable.
            var program = environment.GetValueOrDefault("SECRETS_CONTROLLER_BENCH_DLL") is { Length: > 0 } variant ? variant
                : Environment.GetEnvironmentVariable("SECRETS_CONTROLLER_BENCH_DLL") is { Length: > 0 } published ? published
                : Path.Combine(RepoPaths.Root, "controller", "Secrets.Controller", "bin", "Release", "net10.0", "secrets-controller.dll");
            var native = !program.EndsWith(".dll", StringComparison.Ordinal);
            var info = new ProcessStartInfo(native ? program : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (native ? [] : new[] { program }).Concat(
            [
                "--kubeconfig", kubeconfig, "--listen-addr", $"127.0.0.1:{port}", "--listen-metrics-addr", $"127.0.0.1:{FreePort()}",
                "--controller-namespace", ControllerRun.ControllerNamespace, "--leader-elect=false", "--key-renew-period=0",
                "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            ]).Concat(extra))
            {
                info.ArgumentList.Add(argument);
            }

            // As in controller/deploy/deployment.yaml: workstation GC; the Native AOT image has its 4 MiB gen0 budget compiled
            // in, the JIT build gets it from the variable (docs/controller.md "Memory"). Logs at Warning so the benchmark
            // measures work, not logging.
            info.Environment["DOTNET_gcServer"] = "0";
            if (!native)
            {
                info.Environment["DOTNET_GCGen0MaxBudget"] = "400000";
            }

            info.Environment["Logging__LogLevel__Default"] = "Warning";
            info.Environment["Logging__LogLevel__Secrets.Controller"] = "Warning";
            foreach (var milestone in Milestones)
            {
                info.Environment["Logging__LogLevel__" + milestone] = "Information";
            }

            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            var started = Stopwatch.StartNew();
            var process = Process.Start(info)!;
            var controller = new ControllerProcess(process, port, started);
            process.OutputDataReceived += (_, e) => controller.Record(e.Data);
            process.ErrorDataReceived += (_, e) => controller.Record(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return controller;
        }

        /// <summary>The controller's log lines with the time since process start, to see where a phase spends its time.</summary>
        public IReadOnlyList<string> Timeline => [.. _timeline];

        private void Record(string? line)
        {
            if (line is { Length: > 0 })
            {
                var message = MessagePattern().Match(line) is { Success: true } match ? match.Groups[1].Value : line;
                _timeline.Enqueue($"{_started.Elapsed.TotalSeconds,7:F2} s  {message}");
            }
        }

        public async Task<string> MetricsAsync() => await _http.GetStringAsync(new Uri("metrics", UriKind.Relative));

        /// <summary>Polls /metrics until the counter reaches <paramref name="target"/>; returns the time since process start.</summary>
        public async Task<TimeSpan> WaitForMetricAsync(string name, double target, TimeSpan limit)
        {
            while (_started.Elapsed < limit)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"controller exited with {_process.ExitCode}");
                }

                try
                {
                    if (Metric(await MetricsAsync(), name) >= target)
                    {
                        return _started.Elapsed;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"{name} did not reach {target} within {limit}");
        }

        /// <summary>user+sys CPU seconds of the controller process so far (wall time on a shared machine is noisy).</summary>
        public double CpuSeconds()
        {
            var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }

        public int Id => _process.Id;

        public double PeakRssMiB() =>
            File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is var line
                ? double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
                : 0;

        /// <summary>Current RSS split into anonymous memory (GC heap, native allocations) and file-backed pages (mapped assemblies).</summary>
        public string Memory()
        {
            var fields = File.ReadLines($"/proc/{_process.Id}/smaps_rollup")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
                .ToDictionary(p => p[0], p => double.Parse(p[1].Trim()[..^3], CultureInfo.InvariantCulture) / 1024);
            var rss = fields.GetValueOrDefault("Rss");
            var anonymous = fields.GetValueOrDefault("Anonymous");
            return $"RSS {rss:F0} MiB = anonymous {anonymous:F0} MiB + file-backed {rss - anonymous:F0} MiB";
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
