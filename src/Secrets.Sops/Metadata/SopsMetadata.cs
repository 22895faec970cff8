using Secrets.Core.Keys;
using Secrets.Sops.Rules;

namespace Secrets.Sops.Metadata;

/// <summary>
/// The internal form of the <c>sops</c> block (sops.md §4), kept apart from its on-disk shape (<see cref="MetadataCodec"/>)
/// as sops keeps its DTO apart from sops.Metadata.
/// </summary>
public sealed class SopsMetadata
{
    /// <summary>sops 3.13.2: the version written on encrypt, so every sops and Flux reads our files (§4.3).</summary>
    public const string CurrentVersion = "3.13.2";

    /// <summary>The key groups; one group unless Shamir secret sharing is used (§5).</summary>
    public List<List<MasterKeyEntry>> KeyGroups { get; init; } = [];

    /// <summary>Shares needed to rebuild the data key; 0 when not set.</summary>
    public int ShamirThreshold { get; set; }

    /// <summary>RFC3339 time of the last change; the AAD of the MAC.</summary>
    public string LastModified { get; set; } = "";

    /// <summary>The encrypted MAC (<c>ENC[…]</c>), or "" in broken files.</summary>
    public string Mac { get; set; } = "";

    public EncryptionRules Rules { get; set; } = EncryptionRules.Default;

    public string Version { get; set; } = CurrentVersion;
}
