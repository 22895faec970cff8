using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>
/// The Entra ID v2 token endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>, client-credentials grant with a client secret
/// or a client assertion) and the OpenID metadata MSAL may read. Tokens are opaque random strings the vault checks
/// against what was issued, including the audience (test-infra.md §4).
/// </summary>
public sealed partial class FakeKeyVault
{
    private readonly Dictionary<string, (EntraGrant Grant, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly List<EntraGrant> _grants = [];

    /// <summary>Every token issued through the token endpoint, in order.</summary>
    public IReadOnlyList<EntraGrant> Grants
    {
        get
        {
            lock (_gate)
            {
                return [.. _grants];
            }
        }
    }

    /// <summary>Issues a Key Vault token directly, for tests that use a static <c>TokenCredential</c>.</summary>
    public string IssueToken(string scope = Resource + "/.default")
    {
        lock (_gate)
        {
            return Issue(new EntraGrant("test", scope, Federated: false));
        }
    }

    /// <summary>Revokes every issued token (the next vault call gets the 401 challenge again).</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    private string Issue(EntraGrant grant)
    {
        var token = "fake-aad-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = (grant, Now + _options.TokenLifetime);
        return token;
    }

    private bool IsAuthorized(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        lock (_gate)
        {
            return _tokens.TryGetValue(header[7..].Trim(), out var issued)
                && issued.Expires > Now
                && issued.Grant.Scope.StartsWith(Resource, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task HandleEntraAsync(HttpContext context, KeyVaultRequest request, string path)
    {
        var tenant = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (path.Contains("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            var issuer = new Uri(AuthorityHost, tenant + "/");
            await WriteAsync(context, 200, new JsonObject
            {
                ["token_endpoint"] = new Uri(issuer, "oauth2/v2.0/token").ToString(),
                ["authorization_endpoint"] = new Uri(issuer, "oauth2/v2.0/authorize").ToString(),
                ["issuer"] = new Uri(issuer, "v2.0").ToString(),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            });
            return;
        }

        if (context.Request.Method != "POST" || !context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, request, 400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string Field(string name) => form[name].FirstOrDefault() ?? "";
        var clientId = Field("client_id");
        var scope = Field("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(s => s.EndsWith("/.default", StringComparison.Ordinal)) ?? "";
        if (tenant != _options.TenantId)
        {
            await OAuthErrorAsync(context, request, 400, "invalid_request", $"AADSTS90002: Tenant '{tenant}' not found.");
            return;
        }

        if (Field("grant_type") != "client_credentials")
        {
            await OAuthErrorAsync(context, request, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }

        if (scope.Length == 0)
        {
            await OAuthErrorAsync(context, request, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
            return;
        }

        var assertion = Field("client_assertion");
        var federated = assertion.Length > 0;
        var accepted = federated
            ? _options.FederatedClients.Contains(clientId) && (_options.AcceptedAssertion is null || _options.AcceptedAssertion == assertion)
            : _options.ClientSecrets.TryGetValue(clientId, out var secret) && secret == Field("client_secret");
        if (!accepted)
        {
            await OAuthErrorAsync(context, request, 401, "invalid_client", federated
                ? "AADSTS700213: No matching federated identity record found for presented assertion subject."
                : "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
            return;
        }

        string token;
        lock (_gate)
        {
            var grant = new EntraGrant(clientId, scope, federated);
            _grants.Add(grant);
            token = Issue(grant);
        }

        var seconds = (long)_options.TokenLifetime.TotalSeconds;
        await WriteAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = token,
        });
    }

    private static async Task OAuthErrorAsync(HttpContext context, KeyVaultRequest request, int status, string error, string description)
    {
        request.ErrorCode = error;
        await WriteAsync(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new JsonArray(int.Parse(description[6..description.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        });
    }
}
