using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Secrets.Controller.Hosting;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.Sealing;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.Controller.Tests;

/// <summary>
/// One controller instance exactly as Program builds it (flags → options → host), against a FakeKubeApiServer through a
/// kubeconfig file, listening on 127.0.0.1:0. Keys are 2048-bit to keep tests quick.
/// </summary>
internal sealed class ControllerRun : IAsyncDisposable
{
    public const string ControllerNamespace = "kube-system";
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _temp;
    private int _disposed;

    private ControllerRun(WebApplication app, TempDirectory temp, Uri baseAddress)
    {
        App = app;
        _temp = temp;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A fake with the project's own CRD (controller/deploy/crd.yaml) registered.</summary>
    public static async Task<FakeKubeApiServer> StartFakeAsync(FakeKubeApiServerOptions? options = null)
    {
        var fake = await FakeKubeApiServer.StartAsync(options);
        fake.SeedYaml(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "controller", "deploy", "crd.yaml")));
        return fake;
    }

    public static KubeResource SealedSecrets(FakeKubeApiServer fake) => fake.Resources.Single(r => r.Plural == "sealedsecrets");

    public static async Task<ControllerRun> StartAsync(FakeKubeApiServer fake, Func<ControllerOptions, ControllerOptions>? configure = null)
    {
        var temp = new TempDirectory();
        var options = new ControllerOptions
        {
            Kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig")),
            ListenAddress = "127.0.0.1:0",
            MetricsAddress = "",
            ControllerNamespace = ControllerNamespace,
            KeySize = 2048,
            LeaderElect = false,
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
            WatchTimeout = TimeSpan.FromSeconds(30),
        };
        options = configure?.Invoke(options) ?? options;
        var app = ControllerHost.Build(options, SealedSecretsFeature.Add, SealedSecretsFeature.Map);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ControllerRun(app, temp, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var stop = new CancellationTokenSource(Bound);
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>Test keys and SealedSecrets made with the project's own generator and sealer.</summary>
internal static class TestKeys
{
    private static readonly Lazy<V1Secret> First = new(() => Generate("sealed-secrets-keyaaaaa"));
    private static readonly Lazy<V1Secret> Second = new(() => Generate("sealed-secrets-keybbbbb"));

    public static V1Secret KeySecret => First.Value;

    public static V1Secret OtherKeySecret => Second.Value;

    public static V1Secret Generate(string name, DateTimeOffset? notBefore = null)
    {
        var time = notBefore is { } at ? new FixedTime(at) : null;
        var secret = new KeyGenerator(2048, TimeSpan.FromDays(3650), "", "sealed-secrets-key", time).Generate(ControllerRun.ControllerNamespace);
        secret.Metadata.Name = name;
        secret.Metadata.GenerateName = null;
        return secret;
    }

    public static string CertificatePem(V1Secret keySecret) => Encoding.ASCII.GetString(keySecret.Data[KeySecrets.Certificate]);

    public static JsonObject ToJson(object model) => JsonNode.Parse(KubernetesJson.Serialize(model))!.AsObject();

    public static void SeedKey(FakeKubeApiServer fake, V1Secret keySecret) => fake.Seed(ToJson(keySecret));

    /// <summary>Seals string values for ns/name like <c>secrets seal</c> would; <paramref name="shape"/> edits the input Secret first.</summary>
    public static SealedSecret Seal(V1Secret keySecret, string ns, string name, IReadOnlyDictionary<string, string> values, Action<SecretManifest>? shape = null, SealedSecretScope? scope = null)
    {
        var secret = new SecretManifest { Metadata = new KubeMetadata { Name = name, Namespace = ns } };
        foreach (var (key, value) in values)
        {
            secret.Data[key] = Encoding.UTF8.GetBytes(value);
        }

        shape?.Invoke(secret);
        var sealingKey = SealingKey.FromPem(CertificatePem(keySecret), DateTimeOffset.UtcNow);
        return new SecretSealer(sealingKey).Seal(secret, new SealOptions { Scope = scope });
    }

    public static string Value(JsonObject secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![key]!.GetValue<string>()));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
