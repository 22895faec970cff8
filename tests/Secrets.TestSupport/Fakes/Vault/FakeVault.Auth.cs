using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>
/// Token auth (<c>X-Vault-Token</c>; <c>auth/token/lookup-self|renew-self|revoke-self</c>) and the login endpoints
/// <c>auth/{kubernetes mount}/login {"role","jwt"}</c> and <c>auth/{approle mount}/login {"role_id","secret_id"}</c>
/// (test-infra.md §5). Policies are modelled as path prefixes the token may use.
/// </summary>
public sealed partial class FakeVault
{
    private readonly Dictionary<string, VaultToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthMount> _auth = new(StringComparer.Ordinal);

    /// <summary>Creates a token limited to paths starting with one of <paramref name="allowedPaths"/> (relative to its namespace).</summary>
    public string CreateToken(IReadOnlyList<string> allowedPaths, string? ns = null, TimeSpan? ttl = null)
    {
        lock (_gate)
        {
            return Issue(ns?.Trim('/') ?? "", ["default", "test"], allowedPaths, ttl).Token;
        }
    }

    /// <summary>Lets a Kubernetes service-account JWT log in as <paramref name="role"/> at <c>auth/{mount}/login</c>.</summary>
    public void AddKubernetesRole(string role, string jwt, IReadOnlyList<string> allowedPaths, string mount = "kubernetes", string? ns = null) =>
        AddRole("kubernetes", mount, ns, role, jwt, allowedPaths);

    /// <summary>Registers an AppRole (<paramref name="roleId"/>, <paramref name="secretId"/>) at <c>auth/{mount}/login</c>.</summary>
    public void AddAppRole(string roleId, string secretId, IReadOnlyList<string> allowedPaths, string mount = "approle", string? ns = null) =>
        AddRole("approle", mount, ns, roleId, secretId, allowedPaths);

    /// <summary>Every token issued or known, e.g. to assert which policies a login got.</summary>
    public IReadOnlyList<VaultToken> Tokens
    {
        get
        {
            lock (_gate)
            {
                return [.. _tokens.Values];
            }
        }
    }

    private void AddRole(string type, string mount, string? ns, string role, string credential, IReadOnlyList<string> allowedPaths)
    {
        lock (_gate)
        {
            var key = Full(ns, "auth/" + mount.Trim('/'));
            if (!_auth.TryGetValue(key, out var auth))
            {
                auth = new AuthMount(type);
                _auth[key] = auth;
            }

            auth.Roles[role] = (credential, [role + "-policy"], [.. allowedPaths]);
        }
    }

    private VaultToken Issue(string ns, string[] policies, IReadOnlyList<string> allowedPaths, TimeSpan? ttl)
    {
        var token = new VaultToken("hvs." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'A').Replace('/', 'B'),
            ns, policies, allowedPaths, Now + (ttl ?? _options.TokenTtl));
        _tokens[token.Token] = token;
        return token;
    }

    private VaultToken Authenticate(string? token, string ns, string path)
    {
        // A missing, unknown or expired token, a token from another namespace, or a path outside its policies: 403.
        if (token is null || !_tokens.TryGetValue(token, out var caller) || caller.Expires <= Now)
        {
            throw VaultException.Denied();
        }

        var inNamespace = caller.Namespace.Length == 0 || ns == caller.Namespace || ns.StartsWith(caller.Namespace + "/", StringComparison.Ordinal);
        var selfService = path is "auth/token/lookup-self" or "auth/token/renew-self" or "auth/token/revoke-self";
        return inNamespace && (selfService || caller.Allows(path)) ? caller : throw VaultException.Denied();
    }

    private JsonObject Login(string ns, string mount, JsonObject? body)
    {
        var auth = _auth.GetValueOrDefault(Full(ns, "auth/" + mount))
            ?? throw new VaultException(400, $"no handler for route \"auth/{mount}/login\". route entry not found.");
        string role;
        string credential;
        if (auth.Type == "kubernetes")
        {
            role = RequiredString(body, "role", "missing role");
            credential = RequiredString(body, "jwt", "missing jwt");
            if (!auth.Roles.ContainsKey(role))
            {
                throw VaultException.BadRequest($"invalid role name \"{role}\"");
            }
        }
        else
        {
            role = RequiredString(body, "role_id", "missing role_id");
            credential = body?["secret_id"]?.GetValue<string>() ?? "";
            if (!auth.Roles.ContainsKey(role))
            {
                throw VaultException.BadRequest("invalid role or secret ID");
            }
        }

        var (expected, policies, allowedPaths) = auth.Roles[role];
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(credential)))
        {
            throw auth.Type == "kubernetes" ? VaultException.Denied() : VaultException.BadRequest("invalid role or secret ID");
        }

        var token = Issue(ns, ["default", .. policies], allowedPaths, null);
        return Envelope(null, AuthObject(token, new JsonObject { ["role"] = role }));
    }

    private JsonObject AuthObject(VaultToken token, JsonObject? metadata) => new()
    {
        ["client_token"] = token.Token,
        ["accessor"] = token.Accessor,
        ["policies"] = new JsonArray([.. token.Policies.Select(p => (JsonNode)p)]),
        ["token_policies"] = new JsonArray([.. token.Policies.Select(p => (JsonNode)p)]),
        ["metadata"] = metadata,
        ["lease_duration"] = (long)_options.TokenTtl.TotalSeconds,
        ["renewable"] = !token.IsRoot,
        ["entity_id"] = "",
        ["token_type"] = "service",
        ["orphan"] = true,
    };

    private JsonObject? TokenOperation(string method, string operation, VaultToken caller)
    {
        switch (method, operation)
        {
            case ("GET", "lookup-self"):
                return Envelope(new JsonObject
                {
                    ["accessor"] = caller.Accessor,
                    ["id"] = caller.Token,
                    ["policies"] = new JsonArray([.. caller.Policies.Select(p => (JsonNode)p)]),
                    ["namespace_path"] = caller.Namespace.Length == 0 ? "" : caller.Namespace + "/",
                    ["ttl"] = caller.Expires is { } expires ? (long)(expires - Now).TotalSeconds : 0,
                    ["expire_time"] = caller.Expires is { } e ? Time(e) : null,
                    ["renewable"] = !caller.IsRoot,
                    ["type"] = "service",
                });
            case ("POST" or "PUT", "renew-self"):
                if (caller.IsRoot)
                {
                    throw VaultException.BadRequest("lease is not renewable");
                }

                var renewed = caller with { Expires = Now + _options.TokenTtl };
                _tokens[caller.Token] = renewed;
                return Envelope(null, AuthObject(renewed, null));
            case ("POST" or "PUT", "revoke-self"):
                _tokens.Remove(caller.Token);
                return null;
            default:
                throw new VaultException(405, "1 error occurred:\n\t* unsupported operation\n\n");
        }
    }
}
