using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>Maps <c>spec.provider</c> keys to factories; an unknown provider is a clear error, not a crash.</summary>
public sealed class ProviderRegistry(IEnumerable<ISecretsProviderFactory> factories)
{
    private readonly Dictionary<string, ISecretsProviderFactory> _factories = factories.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _factories.Keys;

    public Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, _) = context.Store.Provider;
        return _factories.TryGetValue(name, out var factory)
            ? factory.CreateAsync(context, cancellationToken)
            : throw new SyncException($"{context.Store.Kind} \"{context.Store.Metadata.Display}\": provider \"{name}\" is not supported (supported: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))})");
    }
}
