using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>
/// Keys: <c>GET /keys/{name}[/{version}]</c>, <c>GET /keys/{name}/versions</c>, <c>POST /keys/{name}/create</c> and
/// <c>POST /keys/{name}[/{version}]/wrapkey|unwrapkey|encrypt|decrypt</c> with <c>{"alg","value"}</c> (base64url without
/// padding) answering <c>{"kid","value"}</c> (test-infra.md §4). A versionless operation uses the latest version.
/// </summary>
public sealed partial class FakeKeyVault
{
    private static readonly string[] KeyOperations = ["wrapkey", "unwrapkey", "encrypt", "decrypt"];
    private readonly Dictionary<string, FakeKeyVaultKey> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an RSA key (2048 bits by default) with one version, or adds a version when it exists (rotation).</summary>
    public FakeKeyVaultKey CreateKey(string name, int size = 2048)
    {
        lock (_gate)
        {
            return AddKeyVersion(name, size);
        }
    }

    /// <summary>The key id (<c>{vault}/keys/{name}/{version}</c>) of a version, the latest when <paramref name="version"/> is null.</summary>
    public Uri KeyId(FakeKeyVaultKey key, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Uri(VaultUri, $"keys/{key.Name}/{version ?? key.LatestVersion}");
    }

    public void SetKeyEnabled(FakeKeyVaultKey key, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            key.Enabled = enabled;
        }
    }

    public void SetKeyAccessDenied(FakeKeyVaultKey key, bool denied)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            key.AccessDenied = denied;
        }
    }

    private FakeKeyVaultKey AddKeyVersion(string name, int size)
    {
        if (!_keys.TryGetValue(name, out var key))
        {
            key = new FakeKeyVaultKey(name);
            _keys[name] = key;
        }

        key.Items.Add(new FakeKeyVaultKeyVersion(NewVersion(), RSA.Create(size), Now));
        return key;
    }

    private static string NewVersion() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private JsonObject Keys(string method, string[] rest, JsonObject? body) => (method, rest) switch
    {
        ("GET", [var name]) => KeyBundle(FindKey(name), null),
        ("GET", [var name, "versions"]) => KeyVersions(FindKey(name)),
        ("GET", [var name, var version]) => KeyBundle(FindKey(name), version),
        ("POST", [var name, "create"]) => CreateFromRequest(name, body),
        ("POST", [var name, var op]) when KeyOperations.Contains(op) => Operate(FindKey(name), null, op, body),
        ("POST", [var name, var version, var op]) when KeyOperations.Contains(op) => Operate(FindKey(name), version, op, body),
        _ => throw new KeyVaultException(405, "MethodNotAllowed", $"the fake does not serve {method} /keys/{string.Join('/', rest)}"),
    };

    private JsonObject CreateFromRequest(string name, JsonObject? body)
    {
        var kty = RequiredString(body, "kty");
        if (kty is not ("RSA" or "RSA-HSM"))
        {
            throw KeyVaultException.BadParameter($"The fake only creates RSA keys, not '{kty}'.");
        }

        var size = body?["key_size"]?.GetValue<int>() ?? 2048;
        return KeyBundle(AddKeyVersion(name, size), null);
    }

    private FakeKeyVaultKey FindKey(string name) => _keys.GetValueOrDefault(name)
        ?? throw new KeyVaultException(404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private static FakeKeyVaultKeyVersion FindVersion(FakeKeyVaultKey key, string? version) => version is null ? key.Items[^1]
        : key.Items.Find(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyVaultException(404, "KeyNotFound", $"A key with (name/id) {key.Name}/{version} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private JsonObject KeyBundle(FakeKeyVaultKey key, string? version)
    {
        var item = FindVersion(key, version);
        var parameters = item.Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = KeyId(key, item.Version).ToString(),
                ["kty"] = "RSA",
                ["key_ops"] = new JsonArray("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"),
                ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            },
            ["attributes"] = KeyAttributes(key, item),
        };
    }

    private JsonObject KeyVersions(FakeKeyVaultKey key) => new()
    {
        ["value"] = new JsonArray([.. key.Items.Select(v => (JsonNode)new JsonObject
        {
            ["kid"] = KeyId(key, v.Version).ToString(),
            ["attributes"] = KeyAttributes(key, v),
        })]),
        ["nextLink"] = null,
    };

    private static JsonObject KeyAttributes(FakeKeyVaultKey key, FakeKeyVaultKeyVersion item) => new()
    {
        ["enabled"] = key.Enabled,
        ["created"] = Unix(item.Created),
        ["updated"] = Unix(item.Created),
        ["recoveryLevel"] = "Recoverable+Purgeable",
        ["recoverableDays"] = 90,
    };

    private JsonObject Operate(FakeKeyVaultKey key, string? version, string operation, JsonObject? body)
    {
        var item = FindVersion(key, version);
        var verb = operation switch { "wrapkey" => "wrapKey", "unwrapkey" => "unwrapKey", _ => operation };
        if (key.AccessDenied)
        {
            throw new KeyVaultException(403, "Forbidden", $"The user, group or application 'appid=test' does not have keys {verb} permission on key vault '{VaultUri.Authority}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287", "AccessDenied");
        }

        if (!key.Enabled)
        {
            throw new KeyVaultException(403, "Forbidden", $"Operation {verb} is not allowed on a disabled key.", "KeyDisabled");
        }

        var padding = RequiredString(body, "alg") switch
        {
            "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
            "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
            "RSA1_5" => RSAEncryptionPadding.Pkcs1,
            var alg => throw KeyVaultException.BadParameter($"Invalid algorithm '{alg}' for key type RSA."),
        };
        byte[] input;
        try
        {
            input = Base64Url.DecodeFromChars(RequiredString(body, "value").TrimEnd('='));
        }
        catch (FormatException)
        {
            throw KeyVaultException.BadParameter("Property value has invalid value.");
        }

        byte[] output;
        try
        {
            output = operation is "wrapkey" or "encrypt" ? item.Rsa.Encrypt(input, padding) : item.Rsa.Decrypt(input, padding);
        }
        catch (CryptographicException)
        {
            throw KeyVaultException.BadParameter(operation is "wrapkey" or "encrypt" ? "Plaintext is too long for the key." : "Decryption failed: the ciphertext does not match the key or the algorithm.");
        }

        return new JsonObject { ["kid"] = KeyId(key, item.Version).ToString(), ["value"] = Base64Url.EncodeToString(output) };
    }
}
