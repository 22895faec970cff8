using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>
/// A loopback Azure Key Vault over https plus the Entra ID token endpoint it trusts, for the real Azure SDKs
/// (test-infra.md §4): the vault answers an unauthenticated request with the 401 Bearer challenge, accepts only tokens
/// its own <c>/{tenant}/oauth2/v2.0/token</c> issued for <c>https://vault.azure.net/.default</c>, serves RSA keys
/// (get, versions, wrapkey/unwrapkey/encrypt/decrypt) and secrets (get, set, versions, list, delete) with the service's
/// error bodies. Point <c>AuthorityHost</c> of an Azure.Identity credential at <see cref="AuthorityHost"/> and trust
/// <see cref="CertificateAuthority"/>. <c>await using var vault = await FakeKeyVault.StartAsync();</c>
/// </summary>
public sealed partial class FakeKeyVault : IAsyncDisposable
{
    /// <summary>The resource (audience) of Key Vault tokens; the scope clients ask for is this plus <c>/.default</c>.</summary>
    public const string Resource = "https://vault.azure.net";

    private readonly FakeKeyVaultOptions _options;
    private readonly List<KeyVaultRequest> _requests = [];
    private readonly Lock _gate = new();
    private LoopbackServer? _server;

    private FakeKeyVault(FakeKeyVaultOptions options)
    {
        _options = options;
        CertificateAuthority = TestCertificateAuthority.Create();
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>: the vault URI (key ids and secret ids start with it).</summary>
    public Uri VaultUri => _server!.BaseAddress;

    /// <summary>The Entra authority host to give Azure.Identity credentials (the same server, token endpoint under it).</summary>
    public Uri AuthorityHost => _server!.BaseAddress;

    /// <summary>The CA that signed the server certificate; clients trust it through their transport.</summary>
    public TestCertificateAuthority CertificateAuthority { get; }

    public string TenantId => _options.TenantId;

    /// <summary>The first configured client-secret app registration (id, secret).</summary>
    public (string ClientId, string Secret) ClientSecret => _options.ClientSecrets.First() is var pair ? (pair.Key, pair.Value) : default;

    /// <summary>Failures and delays for matching requests. Vault requests are only matched once authorized, so a fault never lands on the challenge round trip.</summary>
    public FaultRules<KeyVaultRequest, KeyVaultFault> Faults { get; } = new();

    /// <summary>Every request so far (vault and token endpoint), in arrival order.</summary>
    public IReadOnlyList<KeyVaultRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeKeyVault> StartAsync(FakeKeyVaultOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new FakeKeyVault(options ?? new FakeKeyVaultOptions());
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync, fake.CertificateAuthority, cancellationToken);
        return fake;
    }

    /// <summary>A handler trusting only this fake's CA, for <c>new HttpClientTransport(handler)</c>.</summary>
    public HttpClientHandler CreateTrustingHandler() => CertificateAuthority.CreateTrustingHandler();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        CertificateAuthority.Dispose();
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var apiVersion = context.Request.Query["api-version"].FirstOrDefault();
        var tokenRequest = path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) || path.Contains("/.well-known/", StringComparison.Ordinal);
        var authorized = !tokenRequest && IsAuthorized(context.Request.Headers.Authorization.ToString());
        var request = new KeyVaultRequest(context.Request.Method, path, apiVersion, authorized);
        lock (_requests)
        {
            _requests.Add(request);
        }

        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        try
        {
            if (tokenRequest)
            {
                if (await ApplyFaultAsync(context, request))
                {
                    return;
                }

                await HandleEntraAsync(context, request, path);
                return;
            }

            if (!authorized)
            {
                // test-infra.md §4: the first request carries no token; the challenge names the tenant and the resource.
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer authorization=\"https://login.microsoftonline.com/{_options.TenantId}\", resource=\"{Resource}\"";
                throw new KeyVaultException(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            }

            if (await ApplyFaultAsync(context, request))
            {
                return;
            }

            if (string.IsNullOrEmpty(apiVersion))
            {
                throw KeyVaultException.BadParameter("The 'api-version' query parameter is required.");
            }

            var body = await ReadJsonAsync(context);
            JsonObject response;
            lock (_gate)
            {
                response = Route(context.Request.Method, path, context.Request.Query, body, apiVersion);
            }

            await WriteAsync(context, 200, response);
        }
        catch (KeyVaultException e)
        {
            request.ErrorCode = e.Code;
            var error = new JsonObject { ["code"] = e.Code, ["message"] = e.Message };
            if (e.InnerCode is not null)
            {
                error["innererror"] = new JsonObject { ["code"] = e.InnerCode };
            }

            await WriteAsync(context, e.StatusCode, new JsonObject { ["error"] = error });
        }
        finally
        {
            request.StatusCode = context.Response.StatusCode;
        }
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, KeyVaultRequest request)
    {
        var (fault, delay) = Faults.Take(request);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (fault is null)
        {
            return false;
        }

        if (fault.DropConnection)
        {
            request.ErrorCode = "connection dropped";
            context.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();
            return true;
        }

        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new KeyVaultException(fault.StatusCode, fault.Code, fault.Message);
    }

    private JsonObject Route(string method, string path, IQueryCollection query, JsonObject? body, string apiVersion)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["keys", ..] => Keys(method, segments[1..], body),
            ["secrets"] when method == "GET" => ListSecrets(query, apiVersion),
            ["secrets", ..] => Secrets(method, segments[1..], query, body, apiVersion),
            _ => throw new KeyVaultException(404, "NotFound", $"the fake does not serve {method} {path}"),
        };
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw KeyVaultException.BadParameter("The request body must be a JSON object.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw KeyVaultException.BadParameter("The request body is not valid JSON.");
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(FakeJson.Options), context.RequestAborted);
    }

    private static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();

    private static string RequiredString(JsonObject? body, string field) =>
        body?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text
            : throw KeyVaultException.BadParameter($"The parameter '{field}' is required.");
}
