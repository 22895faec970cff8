namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>
/// A token the fake issued: its namespace (valid there and below), policy names (reported) and the path prefixes those
/// policies grant (every capability on every path below a prefix; <c>root</c> grants everything).
/// </summary>
public sealed record VaultToken(string Token, string Namespace, IReadOnlyList<string> Policies, IReadOnlyList<string> AllowedPaths, DateTimeOffset? Expires)
{
    public string Accessor { get; } = Guid.NewGuid().ToString("N")[..24];

    public bool IsRoot => Policies.Contains("root");

    internal bool Allows(string path) => IsRoot || AllowedPaths.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));
}
