using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>
/// KV v1 (<c>{mount}/{path}</c>) and KV v2 (<c>{mount}/data/{path}[?version=N]</c>, <c>{mount}/metadata/{path}</c>, LIST on
/// metadata, check-and-set writes, soft delete) with the shapes of test-infra.md §5. A missing path is
/// <c>404 {"errors":[]}</c>; a deleted v2 version is a 404 that still carries its metadata.
/// </summary>
public sealed partial class FakeVault
{
    /// <summary>Writes a secret as a client would (KV v1 overwrites; v2 adds a version); returns the version (1 for v1).</summary>
    public int PutKv(string mount, string path, IReadOnlyDictionary<string, string> data, string? ns = null)
    {
        lock (_gate)
        {
            var kv = _mounts.GetValueOrDefault(Full(ns, mount.Trim('/'))) as KvMount ?? throw new InvalidOperationException($"no KV engine at {mount}");
            var json = new JsonObject([.. data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]);
            return Write(kv, path.Trim('/'), json, cas: null);
        }
    }

    /// <summary>The latest data at a KV path (e.g. to assert what a PushSecret wrote), or null.</summary>
    public JsonObject? GetKv(string mount, string path, string? ns = null)
    {
        lock (_gate)
        {
            var kv = _mounts.GetValueOrDefault(Full(ns, mount.Trim('/'))) as KvMount;
            var latest = kv?.Entries.GetValueOrDefault(path.Trim('/'))?.Versions.LastOrDefault();
            return latest is { Deleted: null } ? (JsonObject)latest.Data.DeepClone() : null;
        }
    }

    private int Write(KvMount kv, string path, JsonObject data, long? cas)
    {
        if (!kv.Entries.TryGetValue(path, out var entry))
        {
            entry = new KvEntry();
            kv.Entries[path] = entry;
        }

        if (cas is { } expected && expected != entry.CurrentVersion)
        {
            throw VaultException.BadRequest("check-and-set parameter did not match the current version");
        }

        if (kv.Version == 1)
        {
            entry.Versions.Clear();
        }

        entry.Versions.Add(new KvVersion((JsonObject)data.DeepClone(), Now));
        entry.Updated = Now;
        return entry.CurrentVersion;
    }

    private JsonObject? KvV1(KvMount kv, string method, string path, JsonObject? body)
    {
        switch (method)
        {
            case "GET":
                var entry = kv.Entries.GetValueOrDefault(path) ?? throw VaultException.NotFound();
                return Envelope(entry.Versions[^1].Data.DeepClone(), leaseDuration: 2764800);
            case "POST" or "PUT":
                Write(kv, path, body ?? [], cas: null);
                return null;
            case "DELETE":
                kv.Entries.Remove(path);
                return null;
            case "LIST":
                return List(kv, path);
            default:
                throw new VaultException(405, "1 error occurred:\n\t* unsupported operation\n\n");
        }
    }

    private JsonObject? KvV2(KvMount kv, string method, string rest, JsonObject? body, IQueryCollection query)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var (area, path) = slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
        switch (area, method)
        {
            case ("data", "GET"):
                return ReadV2(kv, path, query["version"].FirstOrDefault());
            case ("data", "POST" or "PUT"):
                var data = body?["data"] as JsonObject ?? throw VaultException.BadRequest("no data provided");
                var cas = body?["options"]?["cas"]?.GetValue<long>();
                var version = Write(kv, path, data, cas);
                return Envelope(VersionMetadata(kv.Entries[path], version));
            case ("data", "PATCH"):
                var existing = kv.Entries.GetValueOrDefault(path)?.Versions.LastOrDefault() is { Deleted: null } latest ? latest.Data
                    : throw VaultException.NotFound();
                var merged = (JsonObject)existing.DeepClone();
                foreach (var (key, value) in body?["data"] as JsonObject ?? [])
                {
                    merged[key] = value?.DeepClone();
                }

                var patched = Write(kv, path, merged, body?["options"]?["cas"]?.GetValue<long>());
                return Envelope(VersionMetadata(kv.Entries[path], patched));
            case ("data", "DELETE"):
                if (kv.Entries.GetValueOrDefault(path) is { } entry)
                {
                    entry.Versions[^1].Deleted ??= Now;
                }

                return null;
            case ("metadata", "GET"):
                return Envelope(Metadata(kv.Entries.GetValueOrDefault(path) ?? throw VaultException.NotFound()));
            case ("metadata", "POST" or "PUT"):
                var target = kv.Entries.GetValueOrDefault(path) ?? new KvEntry { Updated = Now };
                kv.Entries[path] = target;
                target.CustomMetadata = body?["custom_metadata"]?.DeepClone() as JsonObject ?? target.CustomMetadata;
                return null;
            case ("metadata", "DELETE"):
                kv.Entries.Remove(path);
                return null;
            case ("metadata", "LIST"):
                return List(kv, path);
            default:
                throw new VaultException(405, "1 error occurred:\n\t* unsupported operation\n\n");
        }
    }

    private static JsonObject ReadV2(KvMount kv, string path, string? versionText)
    {
        var entry = kv.Entries.GetValueOrDefault(path);
        if (entry is null || entry.Versions.Count == 0)
        {
            throw VaultException.NotFound();
        }

        var number = versionText is null or "0" ? entry.CurrentVersion
            : int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw VaultException.BadRequest("invalid version");
        if (number < 1 || number > entry.CurrentVersion)
        {
            throw VaultException.NotFound();
        }

        var version = entry.Versions[number - 1];
        var body = new JsonObject
        {
            ["data"] = version.Deleted is null && !version.Destroyed ? version.Data.DeepClone() : null,
            ["metadata"] = VersionMetadata(entry, number),
        };
        return version.Deleted is null && !version.Destroyed ? Envelope(body) : throw new VaultException(404, null, Envelope(body));
    }

    private static JsonObject VersionMetadata(KvEntry entry, int number)
    {
        var version = entry.Versions[number - 1];
        return new JsonObject
        {
            ["created_time"] = Time(version.Created),
            ["custom_metadata"] = entry.CustomMetadata?.DeepClone(),
            ["deletion_time"] = version.Deleted is { } deleted ? Time(deleted) : "",
            ["destroyed"] = version.Destroyed,
            ["version"] = number,
        };
    }

    private static JsonObject Metadata(KvEntry entry)
    {
        var versions = new JsonObject();
        for (var i = 0; i < entry.Versions.Count; i++)
        {
            var v = entry.Versions[i];
            versions[(i + 1).ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["created_time"] = Time(v.Created),
                ["deletion_time"] = v.Deleted is { } deleted ? Time(deleted) : "",
                ["destroyed"] = v.Destroyed,
            };
        }

        return new JsonObject
        {
            ["cas_required"] = false,
            ["created_time"] = entry.Versions.Count > 0 ? Time(entry.Versions[0].Created) : Time(entry.Updated),
            ["current_version"] = entry.CurrentVersion,
            ["custom_metadata"] = entry.CustomMetadata?.DeepClone(),
            ["delete_version_after"] = "0s",
            ["max_versions"] = 0,
            ["oldest_version"] = entry.Versions.Count > 0 ? 1 : 0,
            ["updated_time"] = Time(entry.Updated),
            ["versions"] = versions,
        };
    }

    /// <summary>The direct children of a folder: leaf names and <c>sub/</c> folders, sorted; 404 when there are none.</summary>
    private static JsonObject List(KvMount kv, string folder)
    {
        var prefix = folder.Length == 0 ? "" : folder.TrimEnd('/') + "/";
        var keys = kv.Entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..])
            .Select(k => k.Contains('/', StringComparison.Ordinal) ? k[..(k.IndexOf('/', StringComparison.Ordinal) + 1)] : k)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return keys.Count > 0 ? Envelope(new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k)]) }) : throw VaultException.NotFound();
    }
}
