using Secrets.Core;
using Secrets.Core.Keys;

namespace Secrets.Sops.Keys;

/// <summary>
/// The key sources the engine may use, by metadata type. The engine knows keys only through
/// <see cref="IMasterKeySource"/>, so adding a key type means adding a source here, nothing else. Sources given as
/// factories are created on first use, so a file with only age keys never builds a cloud SDK client or credential.
/// </summary>
public sealed class MasterKeyRegistry
{
    private readonly Dictionary<string, Lazy<IMasterKeySource>> _sources;

    public MasterKeyRegistry(IEnumerable<IMasterKeySource> sources)
    {
        _sources = sources.ToDictionary(s => s.Type, s => new Lazy<IMasterKeySource>(() => s), StringComparer.Ordinal);
    }

    public MasterKeyRegistry(IEnumerable<(string Type, Func<IMasterKeySource> Create)> factories)
    {
        _sources = factories.ToDictionary(
            f => f.Type, f => new Lazy<IMasterKeySource>(f.Create, LazyThreadSafetyMode.ExecutionAndPublication), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Types => _sources.Keys;

    public IMasterKeySource? Find(string type) => _sources.TryGetValue(type, out var source) ? source.Value : null;

    public IMasterKeySource Get(string type) => Find(type) ?? throw new SecretsOperationException(
        ErrorKind.Usage, $"no key source for \"{type}\" keys is available")
    { Hints = [$"key types this build supports: {string.Join(", ", _sources.Keys.Order(StringComparer.Ordinal))}"] };

    /// <summary>A key from its textual form (flag or .sops.yaml string).</summary>
    public IMasterKey Parse(string type, string value) => Get(type).Parse(value.Trim());

    /// <summary>A key from a stored or configured entry.</summary>
    public IMasterKey FromEntry(MasterKeyEntry entry) => Get(entry.Type).FromEntry(entry);

    /// <summary>Whether a source of this type was created (tests: age-only work leaves cloud sources untouched).</summary>
    public bool IsCreated(string type) => _sources.TryGetValue(type, out var source) && source.IsValueCreated;
}
