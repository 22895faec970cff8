using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>
/// One configured store's client (ESO's SecretsClient, eso-flux.md §1.3 step 5). A missing remote secret is a
/// <see cref="SecretNotFoundException"/> (ESO's NoSecretErr), which the sync skips when deletionPolicy ≠ Retain.
/// </summary>
public interface ISecretsProvider : IAsyncDisposable
{
    /// <summary>One value (data[]): the whole remote value, or the <c>property</c> inside it.</summary>
    Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken);

    /// <summary>dataFrom.extract: a JSON object value as a key → value map.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken);

    /// <summary>dataFrom.find: every matching secret keyed by its provider name (before key conversion).</summary>
    Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken);

    /// <summary>Store readiness (SecretStore Ready condition, §1.4).</summary>
    Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken);
}

/// <summary>ESO's ValidationResult.</summary>
public enum StoreValidationResult
{
    Ready,
    Unknown,
    Error,
}

/// <summary>The outcome of <see cref="ISecretsProvider.ValidateAsync"/>; the message explains Unknown/Error and holds no secrets.</summary>
public sealed record StoreValidation(StoreValidationResult Result, string? Message = null)
{
    public static StoreValidation Ready { get; } = new(StoreValidationResult.Ready);

    public static StoreValidation Unknown(string message) => new(StoreValidationResult.Unknown, message);

    public static StoreValidation Error(string message) => new(StoreValidationResult.Error, message);
}

/// <summary>Builds a provider client for one store (one implementation per <c>spec.provider</c> key).</summary>
public interface ISecretsProviderFactory
{
    /// <summary>The <c>spec.provider</c> key, e.g. "fake", "kubernetes", "aws", "vault", "azurekv".</summary>
    string Name { get; }

    Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken);
}
