namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>One request to a <see cref="FakeKeyVault"/> (vault or token endpoint) as the fake saw it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path without the query, e.g. <c>/keys/sops/1a2b/wrapkey</c> or <c>/tenant/oauth2/v2.0/token</c>.</param>
/// <param name="ApiVersion">The <c>api-version</c> query parameter, if any.</param>
/// <param name="Authorized">Whether the request carried a bearer token the fake issued.</param>
public sealed record KeyVaultRequest(string Method, string Path, string? ApiVersion, bool Authorized)
{
    /// <summary>True for calls to the Entra token endpoint rather than to the vault.</summary>
    public bool IsTokenRequest => Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal);

    /// <summary>The HTTP status answered (0 for a dropped connection).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The Key Vault error code answered (<c>KeyNotFound</c>, <c>Throttled</c> …) or OAuth error, if any.</summary>
    public string? ErrorCode { get; internal set; }
}
