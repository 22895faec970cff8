using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Secrets.Age;
using Secrets.Controller.Hosting;
using Secrets.Controller.SopsSecrets;
using Secrets.Core.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Kubernetes;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.Controller.Tests.SopsSecrets;

/// <summary>The controller with SealedSecrets and SopsSecrets, as Program starts it, against a fake with both CRDs.</summary>
internal static class SopsControllerRun
{
    public const string KeySecretName = "sops-keys";

    public static async Task<FakeKubeApiServer> StartFakeAsync()
    {
        var fake = await ControllerRun.StartFakeAsync();
        fake.SeedYaml(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "controller", "deploy", "crds", "sopssecret.yaml")));
        return fake;
    }

    /// <summary>Program's composition (both features) on loopback; dispose to stop.</summary>
    /// <param name="fake">The API server.</param>
    /// <param name="connections">How Key Vault is reached (a handler trusting a fake's CA); null: the default.</param>
    public static async Task<Running> StartAsync(FakeKubeApiServer fake, KeyServiceConnections? connections = null)
    {
        var temp = new TempDirectory();
        var options = new ControllerOptions
        {
            Kubeconfig = fake.WriteKubeconfig(temp.File("kubeconfig")),
            ListenAddress = "127.0.0.1:0",
            MetricsAddress = "",
            ControllerNamespace = ControllerRun.ControllerNamespace,
            KeySize = 2048,
            LeaderElect = false,
            WatchTimeout = TimeSpan.FromSeconds(30),
            SopsDecryptionSecret = KeySecretName,
        };
        var app = ControllerHost.Build(options, builder =>
        {
            SealedSecretsFeature.Add(builder);
            SopsSecretsFeature.Add(builder);
            if (connections is not null)
            {
                builder.Services.AddSingleton(connections);
            }
        });
        await app.StartAsync();
        return new Running(app, temp);
    }

    internal sealed class Running(WebApplication app, TempDirectory temp) : IAsyncDisposable
    {
        public WebApplication App => app;

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(ControllerRun.Bound);
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
            temp.Dispose();
        }
    }

    public static KubeResource SopsSecretResource(FakeKubeApiServer fake) => fake.Resources.Single(r => r.Plural == SopsSecretDocument.Plural);

    public static IMasterKey AgeKey(X25519Identity identity) => new AgeKeySource([]).Parse(identity.Recipient.ToString());

    /// <summary>A Flux-style key Secret; entries are stored base64 like the API server returns them.</summary>
    public static JsonObject KeySecret(string ns, string name, params (string Entry, string Value)[] entries) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject(entries.Select(e => KeyValuePair.Create(e.Entry, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(e.Value))))),
    };

    public static JsonObject PlainSecret(string ns, string name, params (string Key, string Value)[] values) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
        ["type"] = "Opaque",
        ["stringData"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
    };

    /// <summary>Encrypts like <c>secrets sopssecret</c> and returns the YAML to seed or apply.</summary>
    public static async Task<string> SopsSecretYamlAsync(IMasterKey key, JsonObject[] secrets, string? name = null, Action<JsonObject>? shape = null)
    {
        var plain = SopsSecretDocument.FromSecrets(secrets, name, null);
        shape?.Invoke(plain);
        return Encoding.UTF8.GetString(await SopsSecretDocument.EncryptAsync(plain, [[key]], TimeProvider.System, CancellationToken.None));
    }

    public static string Value(JsonObject secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![key]!.GetValue<string>()));
}
