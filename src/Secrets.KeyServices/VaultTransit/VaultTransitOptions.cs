namespace Secrets.KeyServices.VaultTransit;

/// <summary>
/// How transit keys reach Vault. Defaults follow the Vault client conventions sops uses: the token from
/// <c>VAULT_TOKEN</c>, else <c>~/.vault-token</c>; the namespace from <c>VAULT_NAMESPACE</c>. The address is the key's.
/// </summary>
public sealed record VaultTransitOptions
{
    public string? Token { get; init; }

    public string? Namespace { get; init; }

    /// <summary>The client to use (e.g. with a private CA); default: one owned by the source.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Retries of 429 and 5xx answers (honouring <c>Retry-After</c>, capped).</summary>
    public int MaxRetries { get; init; } = 2;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where <c>VAULT_TOKEN</c>, <c>VAULT_NAMESPACE</c> and <c>HOME</c> are read (the CLI passes its context's).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    internal string? ResolveToken()
    {
        if ((Token ?? GetEnvironmentVariable("VAULT_TOKEN")) is { Length: > 0 } token)
        {
            return token.Trim();
        }

        var home = GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var file = Path.Combine(home, ".vault-token");
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } stored ? stored : null;
    }

    internal string? ResolveNamespace() => Namespace ?? (GetEnvironmentVariable("VAULT_NAMESPACE") is { Length: > 0 } ns ? ns : null);
}
