using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>
/// A loopback HashiCorp Vault / OpenBao over plain HTTP (test-infra.md §5): token auth (<c>X-Vault-Token</c>, namespaces
/// via <c>X-Vault-Namespace</c>), kubernetes and approle login, KV v1 and v2, transit (<c>vault:vN:</c> ciphertexts, key
/// versions, rotation), <c>sys/health</c>, errors as <c>{"errors":[…]}</c>, fault injection and a request log.
/// <c>await using var vault = await FakeVault.StartAsync();</c>
/// </summary>
public sealed partial class FakeVault : IAsyncDisposable
{
    private readonly FakeVaultOptions _options;
    private readonly List<VaultRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VaultMount> _mounts = new(StringComparer.Ordinal);
    private LoopbackServer? _server;
    private bool _sealed;

    private FakeVault(FakeVaultOptions options)
    {
        _options = options;
        _tokens[options.RootToken] = new VaultToken(options.RootToken, "", ["root"], [], null);
        if (options.MountDefaultKv)
        {
            _mounts["secret"] = new KvMount(2);
        }
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the <c>VAULT_ADDR</c>.</summary>
    public Uri Address => _server!.BaseAddress;

    public string RootToken => _options.RootToken;

    /// <summary>Failures and delays to inject (e.g. <c>FailNext(1, VaultFault.RateLimited, r =&gt; r.Path.StartsWith("transit/"))</c>).</summary>
    public FaultRules<VaultRequest, VaultFault> Faults { get; } = new();

    /// <summary>How many requests were served at once, at most (delays injected by <see cref="Faults"/> included).</summary>
    public InFlightGauge InFlight { get; } = new();

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<VaultRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeVault> StartAsync(FakeVaultOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new FakeVault(options ?? new FakeVaultOptions());
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync, tls: null, cancellationToken);
        return fake;
    }

    /// <summary>Mounts a KV engine (version 1 or 2) at <paramref name="path"/> (may be nested) in a namespace.</summary>
    public void MountKv(string path, int version = 2, string? ns = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, 2);
        lock (_gate)
        {
            _mounts[Full(ns, path.Trim('/'))] = new KvMount(version);
        }
    }

    /// <summary>Mounts a transit engine at <paramref name="path"/> (may be nested, e.g. <c>team/sops/transit</c>).</summary>
    public void MountTransit(string path = "transit", string? ns = null)
    {
        lock (_gate)
        {
            _mounts[Full(ns, path.Trim('/'))] = new TransitMount();
        }
    }

    /// <summary>Seals (every call but <c>sys/health</c> answers 503) or unseals the server.</summary>
    public void SetSealed(bool value)
    {
        lock (_gate)
        {
            _sealed = value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private static string Full(string? ns, string path) => string.IsNullOrEmpty(ns?.Trim('/')) ? path : ns.Trim('/') + "/" + path;

    private async Task HandleAsync(HttpContext context)
    {
        var rawPath = context.Request.Path.Value ?? "/";
        var list = context.Request.Method == "LIST" || (context.Request.Method == "GET" && context.Request.Query["list"] == "true");
        var method = list ? "LIST" : context.Request.Method;
        var ns = context.Request.Headers["X-Vault-Namespace"].ToString().Trim('/');
        var token = context.Request.Headers["X-Vault-Token"].FirstOrDefault()
            ?? (context.Request.Headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null);
        var path = rawPath.StartsWith("/v1/", StringComparison.Ordinal) ? rawPath[4..].TrimEnd('/') : rawPath;
        var request = new VaultRequest(method, path, ns, !string.IsNullOrEmpty(token));
        lock (_requests)
        {
            _requests.Add(request);
        }

        using var inFlight = InFlight.Enter();
        try
        {
            var (fault, delay) = Faults.Take(request);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault is { DropConnection: true })
            {
                request.Error = "connection dropped";
                context.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();
                return;
            }

            if (fault is not null)
            {
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                throw new VaultException(fault.StatusCode, fault.Error);
            }

            if (!rawPath.StartsWith("/v1/", StringComparison.Ordinal))
            {
                throw VaultException.NotFound();
            }

            var body = await ReadJsonAsync(context);
            JsonObject? response;
            lock (_gate)
            {
                response = Dispatch(method, path, ns, token, body, context.Request.Query);
            }

            if (response is null)
            {
                context.Response.StatusCode = 204;
                return;
            }

            await WriteAsync(context, path == "sys/health" && _sealed ? 503 : 200, response);
        }
        catch (VaultException e)
        {
            request.Error = e.Error ?? "";
            var body = e.Body ?? new JsonObject { ["errors"] = e.Error is null ? new JsonArray() : new JsonArray(e.Error) };
            await WriteAsync(context, e.StatusCode, body);
        }
        finally
        {
            request.StatusCode = context.Response.StatusCode;
        }
    }

    private JsonObject? Dispatch(string method, string path, string ns, string? token, JsonObject? body, IQueryCollection query)
    {
        if (path == "sys/health")
        {
            return Health();
        }

        if (_sealed)
        {
            throw new VaultException(503, "Vault is sealed");
        }

        if (path.StartsWith("auth/", StringComparison.Ordinal) && path.EndsWith("/login", StringComparison.Ordinal))
        {
            return Login(ns, path[5..^6], body);
        }

        var caller = Authenticate(token, ns, path);
        if (path.StartsWith("auth/token/", StringComparison.Ordinal))
        {
            return TokenOperation(method, path[11..], caller);
        }

        if (path.StartsWith("sys/internal/ui/mounts/", StringComparison.Ordinal))
        {
            return MountInfo(ns, path[23..]);
        }

        var full = Full(ns, path);
        var mountPath = FindMount(full) ?? throw new VaultException(404, $"no handler for route \"{path}\". route entry not found.");
        var rest = full.Length > mountPath.Length ? full[(mountPath.Length + 1)..] : "";
        return _mounts[mountPath] switch
        {
            KvMount { Version: 1 } kv => KvV1(kv, method, rest, body),
            KvMount kv => KvV2(kv, method, rest, body, query),
            TransitMount transit => Transit(transit, method, rest, body),
            _ => throw VaultException.NotFound(),
        };
    }

    private JsonObject Health() => new()
    {
        ["initialized"] = true,
        ["sealed"] = _sealed,
        ["standby"] = false,
        ["performance_standby"] = false,
        ["replication_performance_mode"] = "disabled",
        ["replication_dr_mode"] = "disabled",
        ["server_time_utc"] = Now.ToUnixTimeSeconds(),
        ["version"] = "1.17.0",
        ["cluster_name"] = "vault-cluster-fake",
        ["cluster_id"] = "00000000-0000-4000-8000-000000000000",
    };

    private JsonObject MountInfo(string ns, string path)
    {
        var full = Full(ns, path.Trim('/'));
        var mountPath = FindMount(full) ?? throw new VaultException(400, $"preflight capability check returned 403, please ensure client's policies grant access to path \"{path}/\"");
        var mount = _mounts[mountPath];
        var options = mount is KvMount kv ? new JsonObject { ["version"] = kv.Version.ToString(CultureInfo.InvariantCulture) } : null;
        var relative = ns.Length > 0 ? mountPath[(ns.Length + 1)..] : mountPath;
        return Envelope(new JsonObject { ["path"] = relative + "/", ["type"] = mount.Type, ["options"] = options });
    }

    /// <summary>The longest mount path that is <paramref name="full"/> or a parent of it.</summary>
    private string? FindMount(string full) =>
        _mounts.Keys.Where(m => full == m || full.StartsWith(m + "/", StringComparison.Ordinal)).MaxBy(m => m.Length);

    /// <summary>The standard response envelope around <c>data</c>.</summary>
    private static JsonObject Envelope(JsonNode? data, JsonObject? auth = null, long leaseDuration = 0) => new()
    {
        ["request_id"] = Guid.NewGuid().ToString(),
        ["lease_id"] = "",
        ["renewable"] = false,
        ["lease_duration"] = leaseDuration,
        ["data"] = data,
        ["wrap_info"] = null,
        ["warnings"] = null,
        ["auth"] = auth,
    };

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
            return JsonNode.Parse(text) as JsonObject ?? throw VaultException.BadRequest("failed to parse JSON input: not an object");
        }
        catch (JsonException e)
        {
            throw VaultException.BadRequest("failed to parse JSON input: " + e.Message);
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(FakeJson.Options) + "\n", context.RequestAborted);
    }

    private static string RequiredString(JsonObject? body, string field, string message) =>
        body?[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : throw VaultException.BadRequest(message);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
