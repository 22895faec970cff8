using Secrets.Core;
using Secrets.Core.Keys;

namespace Secrets.Sops.Keys;

/// <summary>
/// The key sources the engine may use, by metadata type. The engine knows keys only through
/// <see cref="IMasterKeySource"/>, so adding a key type means adding a source here, nothing else.
/// </summary>
public sealed class MasterKeyRegistry(IEnumerable<IMasterKeySource> sources)
{
    private readonly Dictionary<string, IMasterKeySource> _sources = sources.ToDictionary(s => s.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => _sources.Keys;

    public IMasterKeySource? Find(string type) => _sources.GetValueOrDefault(type);

    public IMasterKeySource Get(string type) => Find(type) ?? throw new SecretsOperationException(
        ErrorKind.Usage, $"no key source for \"{type}\" keys is available")
    { Hints = [$"key types this build supports: {string.Join(", ", _sources.Keys.Order(StringComparer.Ordinal))}"] };

    /// <summary>A key from its textual form (flag or .sops.yaml string).</summary>
    public IMasterKey Parse(string type, string value) => Get(type).Parse(value.Trim());

    /// <summary>A key from a stored or configured entry.</summary>
    public IMasterKey FromEntry(MasterKeyEntry entry) => Get(entry.Type).FromEntry(entry);
}
