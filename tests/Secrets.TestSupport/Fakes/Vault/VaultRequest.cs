namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>One request to a <see cref="FakeVault"/> as the fake saw it.</summary>
/// <param name="Method">HTTP method; <c>LIST</c> also for <c>GET …?list=true</c>.</param>
/// <param name="Path">The API path after <c>/v1/</c>, without the namespace, e.g. <c>transit/encrypt/sops</c>.</param>
/// <param name="Namespace">The <c>X-Vault-Namespace</c> header (trimmed of slashes), empty when absent.</param>
/// <param name="HasToken">Whether a token header was sent.</param>
public sealed record VaultRequest(string Method, string Path, string Namespace, bool HasToken)
{
    /// <summary>The HTTP status answered (0 for a dropped connection).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The first error message answered, if any.</summary>
    public string? Error { get; internal set; }
}
