using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>
/// Transit (test-infra.md §5): <c>keys/{name}</c> (create, read, LIST), <c>keys/{name}/rotate</c>, <c>keys/{name}/config</c>
/// (<c>min_decryption_version</c>), <c>encrypt/{name}</c> (creates the key on first use, as Vault does),
/// <c>decrypt/{name}</c>, <c>datakey/plaintext|wrapped/{name}</c>. Ciphertexts are
/// <c>vault:v{N}:base64(nonce ‖ AES-256-GCM ciphertext ‖ tag)</c> as aes256-gcm96 keys make them; a derived key binds
/// the <c>context</c>.
/// </summary>
public sealed partial class FakeVault
{
    /// <summary>Creates (or rotates, when it exists) a transit key; returns its latest version.</summary>
    public int RotateTransitKey(string name, string mount = "transit", string? ns = null, bool derived = false)
    {
        lock (_gate)
        {
            var transit = _mounts.GetValueOrDefault(Full(ns, mount.Trim('/'))) as TransitMount ?? throw new InvalidOperationException($"no transit engine at {mount}");
            if (transit.Keys.TryGetValue(name, out var existing))
            {
                existing.Rotate(Now);
                return existing.LatestVersion;
            }

            return KeyFor(transit, name, create: true, derived).LatestVersion;
        }
    }

    private TransitKey KeyFor(TransitMount transit, string name, bool create, bool derived = false)
    {
        if (transit.Keys.TryGetValue(name, out var key))
        {
            return key;
        }

        if (!create)
        {
            throw VaultException.BadRequest("encryption key not found");
        }

        key = new TransitKey(name, derived);
        key.Rotate(Now);
        transit.Keys[name] = key;
        return key;
    }

    private JsonObject? Transit(TransitMount transit, string method, string rest, JsonObject? body)
    {
        var parts = rest.Split('/', 2);
        return (method, parts[0], parts.Length > 1 ? parts[1] : "") switch
        {
            ("LIST", "keys", "") => transit.Keys.Count > 0
                ? Envelope(new JsonObject { ["keys"] = new JsonArray([.. transit.Keys.Keys.Select(k => (JsonNode)k)]) })
                : throw VaultException.NotFound(),
            ("POST" or "PUT", "keys", var name) when name.EndsWith("/rotate", StringComparison.Ordinal) => RotateRequest(transit, name[..^7]),
            ("POST" or "PUT", "keys", var name) when name.EndsWith("/config", StringComparison.Ordinal) => Configure(transit, name[..^7], body),
            ("POST" or "PUT", "keys", var name) => CreateRequest(transit, name, body),
            ("GET", "keys", var name) => Envelope(Describe(transit.Keys.GetValueOrDefault(name) ?? throw VaultException.NotFound())),
            ("POST" or "PUT", "encrypt", var name) => Envelope(Encrypt(KeyFor(transit, name, create: true), body)),
            ("POST" or "PUT", "decrypt", var name) => Envelope(new JsonObject { ["plaintext"] = Convert.ToBase64String(Decrypt(KeyFor(transit, name, create: false), body)) }),
            ("POST" or "PUT", "datakey", var kindAndName) => Envelope(DataKey(transit, kindAndName, body)),
            _ => throw new VaultException(405, "1 error occurred:\n\t* unsupported operation\n\n"),
        };
    }

    private JsonObject? CreateRequest(TransitMount transit, string name, JsonObject? body)
    {
        var type = body?["type"]?.GetValue<string>() ?? "aes256-gcm96";
        if (type != "aes256-gcm96")
        {
            throw VaultException.BadRequest($"the fake only supports aes256-gcm96 keys, not \"{type}\"");
        }

        KeyFor(transit, name, create: true, derived: body?["derived"]?.GetValue<bool>() ?? false);
        return null;
    }

    private JsonObject? RotateRequest(TransitMount transit, string name)
    {
        (transit.Keys.GetValueOrDefault(name) ?? throw VaultException.BadRequest("encryption key not found")).Rotate(Now);
        return null;
    }

    private static JsonObject? Configure(TransitMount transit, string name, JsonObject? body)
    {
        var key = transit.Keys.GetValueOrDefault(name) ?? throw VaultException.BadRequest("encryption key not found");
        if (body?["min_decryption_version"]?.GetValue<int>() is { } min)
        {
            key.MinDecryptionVersion = min >= 1 && min <= key.LatestVersion ? min
                : throw VaultException.BadRequest("cannot set min decryption version to a value greater than the latest version");
        }

        return null;
    }

    private static JsonObject Describe(TransitKey key) => new()
    {
        ["name"] = key.Name,
        ["type"] = "aes256-gcm96",
        ["derived"] = key.Derived,
        ["deletion_allowed"] = false,
        ["exportable"] = false,
        ["latest_version"] = key.LatestVersion,
        ["min_decryption_version"] = key.MinDecryptionVersion,
        ["min_encryption_version"] = 0,
        ["supports_encryption"] = true,
        ["supports_decryption"] = true,
        ["supports_derivation"] = true,
        ["supports_signing"] = false,
        ["keys"] = new JsonObject([.. key.Versions.Select((v, i) => KeyValuePair.Create(
            (i + 1).ToString(CultureInfo.InvariantCulture), (JsonNode?)v.Created.ToUnixTimeSeconds()))]),
    };

    private static JsonObject Encrypt(TransitKey key, JsonObject? body)
    {
        var plaintext = Base64Field(body, "plaintext", "missing plaintext to encrypt", "failed to base64-decode plaintext");
        var version = body?["key_version"]?.GetValue<int>() is { } requested and > 0 ? requested : key.LatestVersion;
        if (version > key.LatestVersion)
        {
            throw VaultException.BadRequest("requested version for encryption is higher than the latest key version");
        }

        return new JsonObject
        {
            ["ciphertext"] = Seal(key, version, plaintext, Context(key, body)),
            ["key_version"] = version,
        };
    }

    private static string Seal(TransitKey key, int version, byte[] plaintext, byte[] context)
    {
        var sealedBytes = new byte[12 + plaintext.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(key.Versions[version - 1].Material, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plaintext, sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), context);
        return $"vault:v{version.ToString(CultureInfo.InvariantCulture)}:{Convert.ToBase64String(sealedBytes)}";
    }

    private static byte[] Decrypt(TransitKey key, JsonObject? body)
    {
        var ciphertext = RequiredString(body, "ciphertext", "missing ciphertext to decrypt");
        var parts = ciphertext.Split(':', 3);
        if (parts.Length != 3 || parts[0] != "vault" || !parts[1].StartsWith('v'))
        {
            throw VaultException.BadRequest("invalid ciphertext: no prefix");
        }

        if (!int.TryParse(parts[1][1..], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw VaultException.BadRequest("invalid ciphertext: version number could not be decoded");
        }

        if (version > key.LatestVersion)
        {
            throw VaultException.BadRequest("invalid ciphertext: version is too new");
        }

        if (version < key.MinDecryptionVersion)
        {
            throw VaultException.BadRequest("ciphertext or signature version is disallowed by policy (too old)");
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw VaultException.BadRequest("invalid ciphertext: could not decode base64");
        }

        if (sealedBytes.Length < 28)
        {
            throw VaultException.BadRequest("invalid ciphertext: unable to decrypt");
        }

        var plaintext = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key.Versions[version - 1].Material, 16);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), plaintext, Context(key, body));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw VaultException.BadRequest("cipher: message authentication failed");
        }

        return plaintext;
    }

    private JsonObject DataKey(TransitMount transit, string kindAndName, JsonObject? body)
    {
        var slash = kindAndName.IndexOf('/', StringComparison.Ordinal);
        var kind = slash < 0 ? kindAndName : kindAndName[..slash];
        if (slash < 0 || kind is not ("plaintext" or "wrapped"))
        {
            throw VaultException.BadRequest("invalid type");
        }

        var key = KeyFor(transit, kindAndName[(slash + 1)..], create: false);
        var bits = body?["bits"]?.GetValue<int>() ?? 256;
        var dataKey = bits is 128 or 256 or 512 ? RandomNumberGenerator.GetBytes(bits / 8) : throw VaultException.BadRequest("invalid bits value");
        var result = new JsonObject
        {
            ["ciphertext"] = Seal(key, key.LatestVersion, dataKey, Context(key, body)),
            ["key_version"] = key.LatestVersion,
        };
        if (kind == "plaintext")
        {
            result["plaintext"] = Convert.ToBase64String(dataKey);
        }

        return result;
    }

    private static byte[] Context(TransitKey key, JsonObject? body)
    {
        if (!key.Derived)
        {
            return [];
        }

        var context = Base64Field(body, "context", "missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key", "failed to base64-decode context");
        return context.Length > 0 ? context : Encoding.UTF8.GetBytes("\0");
    }

    private static byte[] Base64Field(JsonObject? body, string field, string missing, string invalid)
    {
        if (body?[field] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            throw VaultException.BadRequest(missing);
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw VaultException.BadRequest(invalid);
        }
    }
}
