using Secrets.Core.Keys;
using Secrets.Sops.Rules;

namespace Secrets.Sops.Engine;

/// <summary>What <see cref="SopsEngine.EncryptAsync"/> needs: the key groups, the threshold and the rules.</summary>
public sealed record EncryptionRequest
{
    public required IReadOnlyList<IReadOnlyList<IMasterKey>> KeyGroups { get; init; }

    /// <summary>Shares needed with several groups; 0 = all groups (sops.md §5).</summary>
    public int ShamirThreshold { get; init; }

    public EncryptionRules Rules { get; init; } = EncryptionRules.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
