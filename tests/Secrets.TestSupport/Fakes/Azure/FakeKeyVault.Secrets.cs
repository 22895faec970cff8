using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>
/// Secrets (test-infra.md §4, eso-flux.md): <c>GET /secrets/{name}[/{version}]</c>, <c>PUT /secrets/{name}</c>,
/// <c>PATCH /secrets/{name}/{version}</c>, <c>DELETE /secrets/{name}</c>, <c>GET /secrets/{name}/versions</c> and
/// <c>GET /secrets?maxresults=</c> with <c>nextLink</c> paging; 404 <c>SecretNotFound</c>, 403 for disabled secrets.
/// </summary>
public sealed partial class FakeKeyVault
{
    private readonly SortedDictionary<string, FakeKeyVaultSecret> _secrets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a version to a secret (creating it); returns the new version id.</summary>
    public string SetSecret(string name, string value, string? contentType = null, IReadOnlyDictionary<string, string>? tags = null, bool enabled = true)
    {
        lock (_gate)
        {
            var version = AddSecretVersion(name, value);
            version.ContentType = contentType;
            version.Enabled = enabled;
            foreach (var (key, tag) in tags ?? new Dictionary<string, string>())
            {
                version.Tags[key] = tag;
            }

            return version.Version;
        }
    }

    /// <summary>The latest value of a secret (e.g. to assert what a PushSecret wrote), or null.</summary>
    public string? GetSecretValue(string name)
    {
        lock (_gate)
        {
            return _secrets.GetValueOrDefault(name)?.Versions[^1].Value;
        }
    }

    /// <summary>Makes every access to the secret answer 403 (or restores access).</summary>
    public void SetSecretAccessDenied(string name, bool denied)
    {
        lock (_gate)
        {
            FindSecret(name).AccessDenied = denied;
        }
    }

    private FakeKeyVaultSecretVersion AddSecretVersion(string name, string value)
    {
        if (!SecretName().IsMatch(name))
        {
            throw KeyVaultException.BadParameter("The request URI contains an invalid name: " + name);
        }

        if (!_secrets.TryGetValue(name, out var secret))
        {
            secret = new FakeKeyVaultSecret(name);
            _secrets[name] = secret;
        }

        var version = new FakeKeyVaultSecretVersion(NewVersion(), value, Now);
        secret.Versions.Add(version);
        return version;
    }

    private JsonObject Secrets(string method, string[] rest, IQueryCollection query, JsonObject? body, string apiVersion) => (method, rest) switch
    {
        ("GET", [var name]) => SecretBundle(Readable(FindSecret(name), null, "get"), FindSecret(name)),
        ("GET", [var name, "versions"]) => ListVersions(FindSecret(name), query, apiVersion),
        ("GET", [var name, var version]) => SecretBundle(Readable(FindSecret(name), version, "get"), FindSecret(name)),
        ("PUT", [var name]) => PutSecret(name, body),
        ("PATCH", [var name, var version]) => PatchSecret(FindSecret(name), version, body),
        ("DELETE", [var name]) => DeleteSecret(name),
        _ => throw new KeyVaultException(405, "MethodNotAllowed", $"the fake does not serve {method} /secrets/{string.Join('/', rest)}"),
    };

    private FakeKeyVaultSecret FindSecret(string name)
    {
        var secret = _secrets.GetValueOrDefault(name) ?? throw SecretNotFound(name);
        return secret.AccessDenied
            ? throw new KeyVaultException(403, "Forbidden", $"The user, group or application 'appid=test' does not have secrets get permission on key vault '{VaultUri.Authority}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287", "AccessDenied")
            : secret;
    }

    private static KeyVaultException SecretNotFound(string id) =>
        new(404, "SecretNotFound", $"A secret with (name/id) {id} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private static FakeKeyVaultSecretVersion Readable(FakeKeyVaultSecret secret, string? version, string operation)
    {
        var item = version is null ? secret.Versions[^1]
            : secret.Versions.Find(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase)) ?? throw SecretNotFound($"{secret.Name}/{version}");
        return item.Enabled ? item : throw new KeyVaultException(403, "Forbidden", $"Operation {operation} is not allowed on a disabled secret.", "SecretDisabled");
    }

    private JsonObject PutSecret(string name, JsonObject? body)
    {
        var version = AddSecretVersion(name, RequiredString(body, "value"));
        ApplyProperties(version, body);
        return SecretBundle(version, _secrets[name]);
    }

    private JsonObject PatchSecret(FakeKeyVaultSecret secret, string version, JsonObject? body)
    {
        var item = secret.Versions.Find(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase)) ?? throw SecretNotFound($"{secret.Name}/{version}");
        ApplyProperties(item, body);
        item.Updated = Now;
        var bundle = SecretBundle(item, secret);
        bundle.Remove("value");
        return bundle;
    }

    private static void ApplyProperties(FakeKeyVaultSecretVersion version, JsonObject? body)
    {
        if (body?["contentType"] is JsonValue contentType)
        {
            version.ContentType = contentType.GetValue<string>();
        }

        if (body?["tags"] is JsonObject tags)
        {
            version.Tags.Clear();
            foreach (var (key, value) in tags)
            {
                version.Tags[key] = value?.GetValue<string>() ?? "";
            }
        }

        if (body?["attributes"] is JsonObject attributes)
        {
            version.Enabled = attributes["enabled"]?.GetValue<bool>() ?? version.Enabled;
            version.NotBefore = attributes["nbf"] is JsonValue nbf ? DateTimeOffset.FromUnixTimeSeconds(nbf.GetValue<long>()) : version.NotBefore;
            version.Expires = attributes["exp"] is JsonValue exp ? DateTimeOffset.FromUnixTimeSeconds(exp.GetValue<long>()) : version.Expires;
        }
    }

    private JsonObject DeleteSecret(string name)
    {
        var secret = FindSecret(name);
        _secrets.Remove(name);
        var bundle = SecretBundle(secret.Versions[^1], secret);
        bundle.Remove("value");
        bundle["recoveryId"] = new Uri(VaultUri, "deletedsecrets/" + secret.Name).ToString();
        bundle["deletedDate"] = Unix(Now);
        bundle["scheduledPurgeDate"] = Unix(Now.AddDays(90));
        return bundle;
    }

    private JsonObject SecretBundle(FakeKeyVaultSecretVersion version, FakeKeyVaultSecret secret)
    {
        var bundle = SecretItem(version, secret, withVersion: true);
        bundle["value"] = version.Value;
        return bundle;
    }

    private JsonObject SecretItem(FakeKeyVaultSecretVersion version, FakeKeyVaultSecret secret, bool withVersion)
    {
        var attributes = new JsonObject
        {
            ["enabled"] = version.Enabled,
            ["created"] = Unix(version.Created),
            ["updated"] = Unix(version.Updated),
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = 90,
        };
        if (version.NotBefore is { } nbf)
        {
            attributes["nbf"] = Unix(nbf);
        }

        if (version.Expires is { } exp)
        {
            attributes["exp"] = Unix(exp);
        }

        var item = new JsonObject
        {
            ["id"] = new Uri(VaultUri, withVersion ? $"secrets/{secret.Name}/{version.Version}" : $"secrets/{secret.Name}").ToString(),
            ["attributes"] = attributes,
            ["tags"] = new JsonObject([.. version.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        };
        if (version.ContentType is not null)
        {
            item["contentType"] = version.ContentType;
        }

        return item;
    }

    private JsonObject ListSecrets(IQueryCollection query, string apiVersion) =>
        Page([.. _secrets.Values.Select(s => SecretItem(s.Versions[^1], s, withVersion: false))], "secrets", query, apiVersion);

    private JsonObject ListVersions(FakeKeyVaultSecret secret, IQueryCollection query, string apiVersion) =>
        Page([.. secret.Versions.Select(v => SecretItem(v, secret, withVersion: true))], $"secrets/{secret.Name}/versions", query, apiVersion);

    /// <summary>One page of a list: <c>maxresults</c> (1–25, default 25) items from the <c>$skiptoken</c> offset, then a <c>nextLink</c>.</summary>
    private JsonObject Page(List<JsonObject> items, string path, IQueryCollection query, string apiVersion)
    {
        var max = int.TryParse(query["maxresults"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 25;
        if (max is < 1 or > 25)
        {
            throw KeyVaultException.BadParameter("Invalid value for maxresults: it must be between 1 and 25.");
        }

        var start = 0;
        if (query["$skiptoken"].FirstOrDefault() is { } token)
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            start = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var page = items.Skip(start).Take(max).ToList();
        var next = start + page.Count < items.Count
            ? new Uri(VaultUri, $"{path}?api-version={apiVersion}&$skiptoken={Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture))))}&maxresults={max}").ToString()
            : null;
        return new JsonObject { ["value"] = new JsonArray([.. page]), ["nextLink"] = next };
    }

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
