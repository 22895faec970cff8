using System.Security.Cryptography;

namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>An RSA key held by the fake vault: its versions (oldest first); private material never leaves the fake.</summary>
public sealed class FakeKeyVaultKey
{
    internal FakeKeyVaultKey(string name) => Name = name;

    public string Name { get; }

    /// <summary>Version ids (32 hex digits, as the service makes them), oldest first.</summary>
    public IReadOnlyList<string> Versions => [.. Items.Select(v => v.Version)];

    public string LatestVersion => Items[^1].Version;

    /// <summary>When false every operation answers 403 <c>Forbidden</c> / <c>KeyDisabled</c>.</summary>
    public bool Enabled { get; internal set; } = true;

    /// <summary>When true every operation answers 403 <c>Forbidden</c> / <c>AccessDenied</c> (the caller lacks the permission).</summary>
    public bool AccessDenied { get; internal set; }

    internal List<FakeKeyVaultKeyVersion> Items { get; } = [];

    public override string ToString() => $"{Name} [redacted]";
}

/// <summary>One version of a <see cref="FakeKeyVaultKey"/>.</summary>
internal sealed class FakeKeyVaultKeyVersion(string version, RSA rsa, DateTimeOffset created)
{
    public string Version { get; } = version;

    public RSA Rsa { get; } = rsa;

    public DateTimeOffset Created { get; } = created;
}
