using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Secrets.TestSupport;
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

/// <summary>
/// Issue 6 item 11. The controller runs as its own process (<c>dotnet Secrets.Controller.dll</c>, as in the image) against the
/// in-process FakeKubeApiServer, so its peak RSS (<c>VmHWM</c>) is its own. Phases: cold unsealing of N SealedSecrets (one
/// value each), create-to-Secret latency, then a restart with the N synced plus 3N unrelated Secrets in the cluster.
/// </summary>
public sealed partial class ControllerBenchmark(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    [BenchFact]
    public async Task Cold_unseal_latency_and_restart_with_N_SealedSecrets_and_3N_unrelated_Secrets()
    {
        var count = Env("SECRETS_CONTROLLER_BENCH", 10_000);
        var keySize = Env("SECRETS_CONTROLLER_BENCH_KEY_SIZE", 4096);
        var concurrency = Env("SECRETS_CONTROLLER_BENCH_CONCURRENCY", 4);
        var latencySamples = Math.Min(200, Math.Max(10, count / 20));
        await using var fake = await ControllerRun.StartFakeAsync(new FakeKubeApiServerOptions { EventLogCapacity = 200_000 });
        using var temp = new TempDirectory();
        var kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig"));
        var key = new SealedSecrets.Keys.KeyGenerator(keySize, TimeSpan.FromDays(3650), "", "sealed-secrets-key").Generate(ControllerRun.ControllerNamespace);
        key.Metadata.Name = "sealed-secrets-keybench";
        SeedKey(fake, key);
        var sealing = Stopwatch.StartNew();
        var documents = Enumerable.Range(0, count).AsParallel().AsOrdered()
            .Select(i => Seal(key, "bench", $"s{i}", new Dictionary<string, string> { ["password"] = $"pw-{i}" }).ToDocument()).ToList();
        foreach (var document in documents)
        {
            fake.Seed(document);
        }

        output.WriteLine($"setup: {count} SealedSecrets (1 value each, RSA-{keySize}) sealed and stored in {sealing.Elapsed.TotalSeconds:F1} s; concurrency {concurrency}; {Load()}");

        // 1. Cold: nothing produced yet, every SealedSecret needs one RSA private operation.
        double coldPeak;
        var latencies = new List<double>();
        await using (var cold = ControllerProcess.Start(kubeconfig, concurrency))
        {
            var ready = await cold.WaitForMetricAsync("secrets_controller_reconcile_total{controller=\"sealedsecret\",result=\"success\"}", count, Limit);
            await fake.WaitUntilAsync(f => f.List(KubeResource.Secrets, "bench").Count == count, TimeSpan.FromMinutes(2));
            var produced = fake.List(KubeResource.Secrets, "bench");
            output.WriteLine($"cold: {produced.Count}/{count} Secrets in {ready.TotalSeconds:F1} s after process start = {count / ready.TotalSeconds:F1} values/s unsealed; peak RSS {cold.PeakRssMiB():F0} MiB; {Load()}");
            Assert.Equal(count, produced.Count);

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

        // 3. Restart: N + samples synced SealedSecrets and 3N unrelated Secrets; the restart must need no RSA at all.
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

        var total = count + latencySamples;
        await using var restart = ControllerProcess.Start(kubeconfig, concurrency);
        var synced = await restart.WaitForMetricAsync("secrets_controller_sealedsecret_unseal_skipped_total", total, Limit);
        var metrics = await restart.MetricsAsync();
        output.WriteLine($"restart: {total} synced SealedSecrets + {3 * count} unrelated Secrets: all confirmed in {synced.TotalSeconds:F2} s after process start, RSA unseals {Metric(metrics, "sealed_secrets_controller_unseal_requests_total")}, peak RSS {restart.PeakRssMiB():F0} MiB (cold phase peak {coldPeak:F0} MiB); {Load()}");
    }

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

        private ControllerProcess(Process process, int port, Stopwatch started)
        {
            _process = process;
            _started = started;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public static ControllerProcess Start(string kubeconfig, int concurrency, params string[] extra)
        {
            var port = FreePort();
            var dll = Path.Combine(RepoPaths.Root, "controller", "Secrets.Controller", "bin", "Release", "net10.0", "secrets-controller.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                dll, "--kubeconfig", kubeconfig, "--listen-addr", $"127.0.0.1:{port}", "--listen-metrics-addr", $"127.0.0.1:{FreePort()}",
                "--controller-namespace", ControllerRun.ControllerNamespace, "--leader-elect=false", "--key-renew-period=0",
                "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            }.Concat(extra))
            {
                info.ArgumentList.Add(argument);
            }

            // As in controller/deploy/deployment.yaml: workstation GC; logs at Warning so the benchmark measures work, not logging.
            info.Environment["DOTNET_gcServer"] = "0";
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var started = Stopwatch.StartNew();
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ControllerProcess(process, port, started);
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

        public int Id => _process.Id;

        public double PeakRssMiB() =>
            File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is var line
                ? double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
                : 0;

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
