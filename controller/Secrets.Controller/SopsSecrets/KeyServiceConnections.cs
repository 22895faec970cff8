namespace Secrets.Controller.SopsSecrets;

/// <summary>
/// How the SopsSecret controller connects to Azure Key Vault and Entra beyond the standard settings: a handler that
/// trusts a private CA (private endpoints, sovereign or test clouds) and the challenge-resource check (test-infra.md §4).
/// Registered in the host's services when needed; absent, the system trust store and the default check apply.
/// </summary>
public sealed record KeyServiceConnections
{
    /// <summary>Creates the HTTP handler for Key Vault and token requests; null: system trust.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    /// <summary>Accept a challenge resource that is not a parent domain of the vault host (as the CLI's
    /// <c>SECRETS_AZURE_KV_DISABLE_CHALLENGE_RESOURCE_VERIFICATION=true</c>).</summary>
    public bool DisableChallengeResourceVerification { get; init; } =
        Environment.GetEnvironmentVariable("SECRETS_AZURE_KV_DISABLE_CHALLENGE_RESOURCE_VERIFICATION") == "true";
}
