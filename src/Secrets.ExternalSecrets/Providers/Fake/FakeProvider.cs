using System.Text;
using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Providers.Fake;

/// <summary>
/// <c>spec.provider.fake</c> (providers/v1/fake/fake.go, eso-flux.md §2.6): in-store <c>data[{key, value, version}]</c>;
/// lookup by key + version (exact), property via gjson, find returns the latest version per key.
/// </summary>
public sealed class FakeProvider : ISecretsProvider
{
    private const string Name = "fake";
    private readonly List<(string Key, string Value, string Version)> _entries;
    private readonly StoreValidationResult _validation;

    private FakeProvider(List<(string, string, string)> entries, StoreValidationResult validation)
    {
        _entries = entries;
        _validation = validation;
    }

    internal static FakeProvider Create(ManifestField config)
    {
        var entries = config["data"].Items.Select(d => (d["key"].Required, d["value"].String ?? (d["valueMap"].Node?.ToJsonString() ?? ""), d["version"].String ?? "")).ToList();
        // fake.go: validationResult 0 Ready, 1 Unknown, 2 Error.
        var validation = (StoreValidationResult)Math.Clamp(config["validationResult"].Long ?? 0, 0, 2);
        return new FakeProvider(entries, validation);
    }

    public Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var value = Lookup(reference);
        return Task.FromResult(ProviderValues.Property(value, reference.Property, Name, reference.Key));
    }

    public Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var value = ProviderValues.Property(Lookup(reference), reference.Property, Name, reference.Key);
        return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(ProviderValues.JsonToMap(value, reference.Key));
    }

    public Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(find);
        var matches = ProviderValues.NameMatcher(find.NameRegexp);
        var latest = _entries.Where(e => matches(e.Key))
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Encoding.UTF8.GetBytes(g.MaxBy(e => e.Version, StringComparer.Ordinal).Value), StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(latest);
    }

    public Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken) => Task.FromResult(_validation switch
    {
        StoreValidationResult.Ready => StoreValidation.Ready,
        StoreValidationResult.Unknown => StoreValidation.Unknown("fake store configured to report Unknown"),
        _ => StoreValidation.Error("fake store configured to fail validation"),
    });

    private byte[] Lookup(RemoteRef reference)
    {
        var version = reference.Version ?? "";
        foreach (var entry in _entries)
        {
            if (entry.Key == reference.Key && entry.Version == version)
            {
                return Encoding.UTF8.GetBytes(entry.Value);
            }
        }

        throw SecretNotFoundException.ForKey(Name, reference.Key);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Creates <see cref="FakeProvider"/> clients.</summary>
public sealed class FakeProviderFactory : ISecretsProviderFactory
{
    public string Name => "fake";

    public Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult<ISecretsProvider>(FakeProvider.Create(context.Config(Name)));
    }
}
