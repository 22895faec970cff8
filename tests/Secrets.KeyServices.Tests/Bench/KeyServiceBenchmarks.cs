using System.Diagnostics;
using System.Globalization;
using Secrets.Core.Keys;
using Secrets.KeyServices.AwsKms;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.KeyServices.Tests.AwsKms;
using Secrets.KeyServices.Tests.AzureKeyVault;
using Secrets.KeyServices.VaultTransit;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Azure;
using Secrets.TestSupport.Fakes.Vault;
using Xunit.Abstractions;

namespace Secrets.KeyServices.Tests.Bench;

/// <summary>
/// Wrap/unwrap operations per second of each key source against its loopback fake, sequential and with 8 concurrent
/// callers. The figures measure client + SDK + loopback HTTP overhead (the fakes' crypto is cheap), not cloud latency.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class KeyServiceBenchmarks(ITestOutputHelper output)
{
    private const int Operations = 400;

    [BenchFact("scripts/bench-keyservices.sh")]
    public async Task Aws_kms()
    {
        await using var session = await KmsSession.StartAsync();
        using var source = new KmsKeySource();
        await MeasureAsync("kms (AWS SDK, http)", source, source.Parse(session.Aws.CreateKey().Arn));
    }

    [BenchFact("scripts/bench-keyservices.sh")]
    public async Task Azure_key_vault()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        fake.CreateKey("bench");
        var source = new AzureKeyVaultKeySource(KeyVaultSession.Options(fake));
        await MeasureAsync("azure_kv (Azure.Core, https, RSA-2048)", source, source.Parse(KeyVaultSession.Url(fake, "bench")));
    }

    [BenchFact("scripts/bench-keyservices.sh")]
    public async Task Vault_transit()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var source = new VaultTransitKeySource(new VaultTransitOptions { Token = vault.RootToken });
        await MeasureAsync("hc_vault (HttpClient, http)", source, source.Parse($"{vault.Address}v1/transit/keys/bench"));
    }

    private async Task MeasureAsync(string name, IMasterKeySource source, IMasterKey key)
    {
        var dataKey = DataKeys.New();
        var entry = await key.WrapAsync(dataKey, CancellationToken.None);
        await source.TryUnwrapAsync(entry, CancellationToken.None);
        foreach (var parallel in new[] { 1, 8 })
        {
            var wrap = await RateAsync(parallel, async () => await key.WrapAsync(dataKey, CancellationToken.None));
            var unwrap = await RateAsync(parallel, async () => await source.TryUnwrapAsync(entry, CancellationToken.None));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-42} callers={parallel}  wrap {wrap,8:F0} ops/s  unwrap {unwrap,8:F0} ops/s"));
        }
    }

    private static async Task<double> RateAsync(int parallel, Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Operations, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, _) => await operation());
        return Operations / watch.Elapsed.TotalSeconds;
    }
}
