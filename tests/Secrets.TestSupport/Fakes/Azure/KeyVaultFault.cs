namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>
/// An injected Key Vault error: <c>{"error":{"code": Code, "message": …}}</c> with the given status (and
/// <c>Retry-After</c> when set), or a dropped connection.
/// </summary>
public sealed record KeyVaultFault(int StatusCode, string Code, string Message = "injected fault", int? RetryAfterSeconds = null, bool DropConnection = false)
{
    /// <summary>429 as Key Vault answers when a vault's request limit is exceeded (the SDKs retry it).</summary>
    public static KeyVaultFault Throttled { get; } = new(429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached", 0);

    public static KeyVaultFault Forbidden { get; } = new(403, "Forbidden", "Caller is not authorized to perform action on resource.");

    public static KeyVaultFault InternalError { get; } = new(500, "InternalServerError", "internal error");

    public static KeyVaultFault ServiceUnavailable { get; } = new(503, "ServiceUnavailable", "service unavailable");

    /// <summary>Closes the connection without answering.</summary>
    public static KeyVaultFault Drop { get; } = new(0, "", DropConnection: true);
}
