using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.Controller.Tests;

public sealed class FrameworkTests
{
    [Fact]
    public async Task Work_queue_hands_out_a_key_once_however_often_it_is_added_and_requeues_adds_made_while_processing()
    {
        using var queue = new WorkQueue();
        var key = new ObjectKey("apps", "db");
        queue.Add(key);
        queue.Add(key);
        queue.Add(new ObjectKey("apps", "other"));
        Assert.Equal(2, queue.Count);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var taken = await queue.TakeAsync(cancel.Token);
        queue.Add(taken);
        Assert.Equal(1, queue.Count);
        queue.Done(taken);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task Informer_lists_page_by_page_and_caches_every_page()
    {
        await using var fake = await FakeKubeApiServer.StartAsync();
        using var temp = new TempDirectory();
        for (var i = 0; i < 7; i++)
        {
            fake.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = $"s{i}", ["namespace"] = $"ns{i % 2}", ["labels"] = new JsonObject { ["pick"] = "yes" } },
            });
        }

        fake.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "other", ["namespace"] = "ns0" } });
        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(fake.WriteKubeconfig(temp.File("kubeconfig"))));
        var informer = new Informer<k8s.Models.V1Secret>(
            ResourceApi.Secrets(client), new InformerOptions { LabelSelector = "pick=yes", PageSize = 3 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(ControllerRun.Bound);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"s{i}").Order(), informer.Items.Select(s => s.Metadata.Name).Order());
        Assert.Equal(3, fake.Requests.Count(r => r.Resource == "secrets" && r.Verb == "list"));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void Backoff_doubles_from_one_second_to_five_minutes_per_key()
    {
        var backoff = ExponentialBackoff.Reconcile;
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300], Enumerable.Range(1, 11).Select(n => backoff.Delay(n).TotalSeconds));
        using var queue = new WorkQueue();
        var key = new ObjectKey("apps", "db");
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited(key));
        Assert.Equal(TimeSpan.FromSeconds(2), queue.AddRateLimited(key));
        queue.Forget(key);
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited(key));
    }

    [Theory]
    [InlineData("720h", 720 * 3600.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0.0)]
    public void Go_durations_parse(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }

    [Fact]
    public void Flags_win_over_environment_and_upstream_names_work()
    {
        var env = new Dictionary<string, string>
        {
            ["SEALED_SECRETS_KEY_RENEW_PERIOD"] = "24h",
            ["SECRETS_CONTROLLER_CONCURRENCY"] = "3",
            ["POD_NAMESPACE"] = "sealing",
        };

        var options = OptionsParser.Parse(
            ["--rotate-period", "48h", "--namespaces=a,b", "--leader-elect=false", "--key-cutoff-time", "Mon, 14 Oct 2024 21:45:30 +0200"],
            name => env.GetValueOrDefault(name));

        Assert.Equal(TimeSpan.FromHours(48), options.KeyRenewPeriod);
        Assert.Equal(3, options.Concurrency);
        Assert.Equal(["a", "b"], options.Namespaces);
        Assert.False(options.LeaderElect);
        Assert.Equal("sealing", options.ControllerNamespace);
        Assert.Equal(new DateTimeOffset(2024, 10, 14, 19, 45, 30, TimeSpan.Zero), options.KeyCutoffTime);
    }

    [Fact]
    public void Memory_trace_is_off_by_default_and_samples_the_heap_and_rss()
    {
        Assert.Equal(TimeSpan.Zero, OptionsParser.Parse([], _ => null).MemoryTraceInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), OptionsParser.Parse(["--memory-trace-interval", "100ms"], _ => null).MemoryTraceInterval);

        var sample = MemoryTrace.Sample();

        Assert.Matches(@"^heap \d+\.\d \(gen0 \d+\.\d, gen1 ", sample);
        foreach (var field in new[] { "RssAnon", "RssFile", "VmHWM" })
        {
            Assert.Matches($@" {field} \d+\.\d( |$)", sample);
        }

        Assert.Matches(@" Threads \d+", sample);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--concurrency", "zero")]
    [InlineData("--key-prefix", "Bad_Prefix")]
    public void Bad_flags_are_usage_errors(params string[] args)
    {
        var e = Assert.ThrowsAny<SecretsException>(() => OptionsParser.Parse(args, _ => null));
        Assert.Equal(ErrorKind.Usage, e.Kind);
    }
}
