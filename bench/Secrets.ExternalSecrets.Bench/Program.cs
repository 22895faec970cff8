using System.Diagnostics;
using System.Globalization;
using System.Text;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Providers.Fake;
using Secrets.ExternalSecrets.Sync;

// ExternalSecrets synced per second by the pure sync (provider fetch, key handling, template, hash, status) against
// the fake provider, single-threaded and with one task per core. Figures only: they depend on the shared machine.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20000;
var fake = new StringBuilder("apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: bench}\nspec:\n  provider:\n    fake:\n      data:\n");
for (var i = 0; i < 100; i++)
{
    fake.Append(CultureInfo.InvariantCulture, $"      - {{key: /app/{i}/user, value: user{i}}}\n      - {{key: /app/{i}/json, value: '{{\"host\":\"db{i}\",\"port\":5432,\"pass\":\"p{i}\"}}'}}\n");
}

var store = EsoManifest.ReadOne<SecretStore>(fake.ToString(), "store") with { StatusConditions = [new StatusCondition("Ready", "True", "Valid", "store validated")] };
var objects = new BenchObjects(store);
var registry = new ProviderRegistry([new FakeProviderFactory()]);
var secrets = Enumerable.Range(0, count).Select(i => EsoManifest.ReadOne<ExternalSecret>($$$"""
    apiVersion: external-secrets.io/v1
    kind: ExternalSecret
    metadata: {name: es{{{i}}}, namespace: bench, uid: u{{{i}}}, generation: 1}
    spec:
      secretStoreRef: {name: fake}
      target:
        template:
          data:
            dsn: "postgres://{{ .user }}:{{ .pass }}@{{ .host }}:{{ .port }}/app"
      dataFrom: [{extract: {key: /app/{{{i % 100}}}/json}}]
      data: [{secretKey: user, remoteRef: {key: /app/{{{i % 100}}}/user}}]
    """, "es")).ToList();

async Task<int> RunAsync(IEnumerable<ExternalSecret> batch)
{
    var sync = new ExternalSecretSync(objects);
    var created = 0;
    foreach (var es in batch)
    {
        await using var source = new StoreProviderSource("bench", objects, registry, objects, new StoreResolutionOptions());
        var outcome = await sync.SyncAsync(es, null, source.GetProviderAsync, CancellationToken.None);
        created += outcome.Write == SecretWrite.Create ? 1 : 0;
    }

    return created;
}

await RunAsync(secrets.Take(500)); // warm-up (JIT, regex caches)
var watch = Stopwatch.StartNew();
var single = await RunAsync(secrets);
var singleRate = count / watch.Elapsed.TotalSeconds;
var cores = Environment.ProcessorCount;
watch.Restart();
var parallel = (await Task.WhenAll(Enumerable.Range(0, cores).Select(c => Task.Run(() => RunAsync(secrets.Where((_, i) => i % cores == c)))))).Sum();
var parallelRate = count / watch.Elapsed.TotalSeconds;
Console.WriteLine($"ExternalSecrets synced (fake provider, extract + data + template): {count}, created {single}/{parallel}");
Console.WriteLine($"single task: {singleRate:F0} ExternalSecrets/s");
Console.WriteLine($"{cores} tasks:   {parallelRate:F0} ExternalSecrets/s");

internal sealed class BenchObjects(SecretStore store) : IKubeObjectReader, IStoreLookup
{
    public Task<IReadOnlyDictionary<string, byte[]>?> GetSecretDataAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(null);

    public Task<IReadOnlyDictionary<string, string>?> GetConfigMapDataAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyDictionary<string, string>?>(null);

    public Task<SecretStore?> GetStoreAsync(StoreKind kind, string ns, string name, CancellationToken cancellationToken) => Task.FromResult<SecretStore?>(store);

    public Task<IReadOnlyDictionary<string, string>> GetNamespaceLabelsAsync(string ns, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}
