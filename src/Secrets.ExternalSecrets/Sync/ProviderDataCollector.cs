using System.Text.RegularExpressions;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Templating;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// ESO's GetProviderSecretData (eso-flux.md §1.3 step 5): dataFrom entries in order (later keys overwrite), then
/// data[] (overwrites dataFrom). Per dataFrom: fetch → rewrite, else key conversion → key validation → decoding →
/// null-byte policy. A provider "not found" is skipped (and reported) unless deletionPolicy is Retain.
/// </summary>
public static class ProviderDataCollector
{
    public sealed record Result(Dictionary<string, byte[]> Data, IReadOnlyList<string> Skipped);

    public static async Task<Result> CollectAsync(ExternalSecret externalSecret, Func<StoreRef, CancellationToken, Task<ISecretsProvider>> providers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        ArgumentNullException.ThrowIfNull(providers);
        var spec = externalSecret.Spec;
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var skipped = new List<string>();
        for (var i = 0; i < spec.DataFrom.Count; i++)
        {
            var entry = spec.DataFrom[i];
            var what = entry.Find is not null ? $"spec.dataFrom[{i}].find" : $"spec.dataFrom[{i}].extract";
            try
            {
                if (entry.GeneratorRef is { } generator)
                {
                    throw new SyncException($"generator {generator.Kind} \"{generator.Name}\" is not supported by this controller");
                }

                var provider = await providers(entry.StoreRef ?? DefaultStore(spec), cancellationToken).ConfigureAwait(false);
                var (map, conversion, decoding, nullBytes) = entry.Find is { } find
                    ? (await provider.GetAllSecretsAsync(find, cancellationToken).ConfigureAwait(false), find.ConversionStrategy, find.DecodingStrategy, find.NullBytePolicy)
                    : (await provider.GetSecretMapAsync(entry.Extract!, cancellationToken).ConfigureAwait(false), entry.Extract!.ConversionStrategy, entry.Extract.DecodingStrategy, entry.Extract.NullBytePolicy);
                var keyed = entry.Rewrite.Count > 0 ? ApplyRewrites(entry.Rewrite, map) : KeyConversion.ConvertKeys(conversion, map);
                foreach (var (key, value) in KeyConversion.Validate(keyed))
                {
                    data[key] = CheckNullBytes(Decoding.Decode(decoding, value, key), nullBytes, key);
                }
            }
            catch (SecretNotFoundException) when (spec.Target.DeletionPolicy != DeletionPolicy.Retain)
            {
                skipped.Add(what);
            }
            catch (Exception e) when (e is Core.SecretsException or InvalidOperationException or HttpRequestException)
            {
                throw new SyncException($"error processing {what}: {e.Message}", e);
            }
        }

        for (var i = 0; i < spec.Data.Count; i++)
        {
            var entry = spec.Data[i];
            try
            {
                var provider = await providers(entry.StoreRef ?? DefaultStore(spec), cancellationToken).ConfigureAwait(false);
                var value = await provider.GetSecretAsync(entry.RemoteRef, cancellationToken).ConfigureAwait(false);
                data[entry.SecretKey] = CheckNullBytes(Decoding.Decode(entry.RemoteRef.DecodingStrategy, value, entry.SecretKey), entry.RemoteRef.NullBytePolicy, entry.SecretKey);
            }
            catch (SecretNotFoundException) when (spec.Target.DeletionPolicy != DeletionPolicy.Retain)
            {
                skipped.Add($"spec.data[{i}]");
            }
            catch (Exception e) when (e is Core.SecretsException or InvalidOperationException or HttpRequestException)
            {
                throw new SyncException($"error retrieving secret at .data[{i}], key: {entry.RemoteRef.Key}, err: {e.Message}", e);
            }
        }

        return new Result(data, skipped);
    }

    private static StoreRef DefaultStore(ExternalSecretSpec spec) =>
        spec.SecretStoreRef ?? throw new SyncException("spec.secretStoreRef is required unless every entry has sourceRef.storeRef");

    /// <summary>rewrite[] in order: regexp (Go ${1} groups) or transform (template with .value = key).</summary>
    public static Dictionary<string, byte[]> ApplyRewrites(IReadOnlyList<Rewrite> rewrites, IReadOnlyDictionary<string, byte[]> map)
    {
        ArgumentNullException.ThrowIfNull(rewrites);
        ArgumentNullException.ThrowIfNull(map);
        var current = map.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var rewrite in rewrites)
        {
            Func<string, string> rename;
            if (rewrite.IsMerge)
            {
                throw new SyncException("rewrite.merge is not supported by this controller");
            }
            else if (rewrite.RegexpSource is { } source)
            {
                var regex = new Regex(source, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                rename = key => regex.Replace(key, rewrite.RegexpTarget ?? "");
            }
            else
            {
                var template = GoTemplate.Parse("transform", rewrite.TransformTemplate!);
                rename = key => template.Execute(new Dictionary<string, string> { ["value"] = key });
            }

            var next = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in current.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                next[rename(key)] = value;
            }

            current = next;
        }

        return current;
    }

    private static byte[] CheckNullBytes(byte[] value, NullBytePolicy policy, string key) =>
        policy == NullBytePolicy.Fail && value.AsSpan().Contains((byte)0)
            ? throw new SyncException($"secret value for key \"{key}\" contains a null byte (nullBytePolicy: Fail)")
            : value;
}
