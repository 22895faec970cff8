namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>An injected Vault error: <c>{"errors":[…]}</c> with the given status (and <c>Retry-After</c>), or a dropped connection.</summary>
public sealed record VaultFault(int StatusCode, string Error = "injected fault", int? RetryAfterSeconds = null, bool DropConnection = false)
{
    /// <summary>429 as a rate-limit quota answers.</summary>
    public static VaultFault RateLimited { get; } = new(429, "rate limit quota exceeded", 0);

    public static VaultFault PermissionDenied { get; } = new(403, "permission denied");

    public static VaultFault InternalError { get; } = new(500, "internal error");

    /// <summary>503 as a sealed or standby node answers.</summary>
    public static VaultFault Sealed { get; } = new(503, "Vault is sealed");

    /// <summary>Closes the connection without answering.</summary>
    public static VaultFault Drop { get; } = new(0, DropConnection: true);
}
