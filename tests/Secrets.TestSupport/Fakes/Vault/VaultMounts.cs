using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>A secrets engine mounted at a path (within a namespace).</summary>
internal abstract class VaultMount(string type)
{
    public string Type { get; } = type;
}

/// <summary>A KV engine (version 1 or 2); paths map to their versions (v1 keeps only one).</summary>
internal sealed class KvMount(int version) : VaultMount("kv")
{
    public int Version { get; } = version;

    public SortedDictionary<string, KvEntry> Entries { get; } = new(StringComparer.Ordinal);
}

/// <summary>One KV path: versions (1-based) and custom metadata.</summary>
internal sealed class KvEntry
{
    public List<KvVersion> Versions { get; } = [];

    public JsonObject? CustomMetadata { get; set; }

    public DateTimeOffset Updated { get; set; }

    public int CurrentVersion => Versions.Count;
}

/// <summary>One KV version; a soft-deleted version keeps its slot with <see cref="Deleted"/> set.</summary>
internal sealed class KvVersion(JsonObject data, DateTimeOffset created)
{
    public JsonObject Data { get; } = data;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset? Deleted { get; set; }

    public bool Destroyed { get; set; }
}

/// <summary>A transit engine: named keys.</summary>
internal sealed class TransitMount() : VaultMount("transit")
{
    public SortedDictionary<string, TransitKey> Keys { get; } = new(StringComparer.Ordinal);
}

/// <summary>An aes256-gcm96 transit key: versions 1..N of AES-256 material, and the oldest version allowed to decrypt.</summary>
internal sealed class TransitKey(string name, bool derived)
{
    public string Name { get; } = name;

    public bool Derived { get; } = derived;

    public List<(byte[] Material, DateTimeOffset Created)> Versions { get; } = [];

    public int MinDecryptionVersion { get; set; } = 1;

    public int LatestVersion => Versions.Count;

    public void Rotate(DateTimeOffset now) => Versions.Add((RandomNumberGenerator.GetBytes(32), now));
}

/// <summary>An auth method mounted at <c>auth/{path}</c>: kubernetes roles (role → accepted JWT) or approle credentials.</summary>
internal sealed class AuthMount(string type)
{
    public string Type { get; } = type;

    /// <summary>kubernetes: role → (accepted service-account JWT, policies, allowed paths); approle: role_id → (secret_id, …).</summary>
    public Dictionary<string, (string Credential, string[] Policies, string[] AllowedPaths)> Roles { get; } = new(StringComparer.Ordinal);
}
