namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>How a <see cref="FakeVault"/> starts: its root token, default mounts and clock.</summary>
public sealed record FakeVaultOptions
{
    /// <summary>The root token (every path, every namespace), like <c>vault server -dev -dev-root-token-id</c>.</summary>
    public string RootToken { get; init; } = "fake-root-token";

    /// <summary>Mount KV v2 at <c>secret/</c> as a dev server does.</summary>
    public bool MountDefaultKv { get; init; } = true;

    /// <summary>TTL of tokens issued by the login endpoints.</summary>
    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
