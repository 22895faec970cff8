using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// Challenge-based bearer authentication as the Key Vault SDKs do it (test-infra.md §4): the first request goes out
/// without a token; the 401 <c>WWW-Authenticate: Bearer authorization="…/{tenant}", resource="…"</c> names the tenant
/// and the scope (<c>resource/.default</c>, e.g. <c>https://vault.azure.net/.default</c>, sovereign clouds and Managed
/// HSM alike); later requests reuse them. The resource must be a parent domain of the vault unless verification is off.
/// </summary>
internal sealed partial class KeyVaultChallengePolicy(TokenCredential credential, bool verifyResource)
    : BearerTokenAuthenticationPolicy(credential, DefaultScope)
{
    public const string DefaultScope = "https://vault.azure.net/.default";

    private volatile Challenge? _challenge;

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message) =>
        _challenge is { } challenge ? AuthenticateAndAuthorizeRequestAsync(message, Context(challenge, message)) : default;

    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (_challenge is { } challenge)
        {
            AuthenticateAndAuthorizeRequest(message, Context(challenge, message));
        }
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (Parse(message) is not { } challenge)
        {
            return false;
        }

        _challenge = challenge;
        await AuthenticateAndAuthorizeRequestAsync(message, Context(challenge, message));
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (Parse(message) is not { } challenge)
        {
            return false;
        }

        _challenge = challenge;
        AuthenticateAndAuthorizeRequest(message, Context(challenge, message));
        return true;
    }

    private static TokenRequestContext Context(Challenge challenge, HttpMessage message) =>
        new([challenge.Scope], message.Request.ClientRequestId, tenantId: challenge.TenantId);

    private Challenge? Parse(HttpMessage message)
    {
        if (!message.Response.Headers.TryGetValue("WWW-Authenticate", out var header))
        {
            return null;
        }

        var parameters = ChallengeParameter().Matches(header).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
        var authorization = parameters.GetValueOrDefault("authorization") ?? parameters.GetValueOrDefault("authorization_uri");
        var scope = parameters.GetValueOrDefault("scope")
            ?? (parameters.GetValueOrDefault("resource") is { Length: > 0 } resource ? resource.TrimEnd('/') + "/.default" : null);
        if (authorization is null || scope is null || !Uri.TryCreate(authorization, UriKind.Absolute, out var authority)
            || !Uri.TryCreate(scope, UriKind.Absolute, out var scopeUri))
        {
            return null;
        }

        var vaultHost = message.Request.Uri.Host ?? "";
        if (verifyResource && !vaultHost.EndsWith("." + scopeUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"the challenge resource '{scopeUri.Host}' does not match the vault host '{vaultHost}'; for private endpoints or custom domains disable challenge resource verification");
        }

        var tenant = authority.AbsolutePath.Trim('/').Split('/')[0];
        return new Challenge(scope, tenant.Length > 0 ? tenant : null);
    }

    private sealed record Challenge(string Scope, string? TenantId);

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex ChallengeParameter();
}
