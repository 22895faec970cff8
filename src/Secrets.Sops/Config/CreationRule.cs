using Secrets.Core.Keys;
using Secrets.Sops.Rules;

namespace Secrets.Sops.Config;

/// <summary>A key named in <c>.sops.yaml</c>: its text form (<c>age1…</c>, a fingerprint, an ARN) or a full entry.</summary>
public sealed record KeyReference(string Type, string? Text, MasterKeyEntry? Entry = null);

/// <summary>One <c>creation_rules</c> item (sops.md §7).</summary>
public sealed record CreationRule
{
    public string? PathRegex { get; init; }

    /// <summary>Key groups; the flat key fields make one group.</summary>
    public List<List<KeyReference>> KeyGroups { get; init; } = [];

    public int ShamirThreshold { get; init; }

    public EncryptionRules Rules { get; init; } = new();

    public string? AwsProfile { get; init; }
}
