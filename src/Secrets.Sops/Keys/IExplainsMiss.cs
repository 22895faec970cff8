using Secrets.Core.Keys;

namespace Secrets.Sops.Keys;

/// <summary>
/// Optional for a key source: why a stored key could not be unwrapped (e.g. "secret key not in the keyring"), used in
/// the no-data-key report (sops.md §5) instead of the generic reason. Kept here so the Core key contract stays small.
/// </summary>
public interface IExplainsMiss
{
    /// <summary>A short reason without secrets, or null when there is nothing more specific to say.</summary>
    string? ExplainMiss(MasterKeyEntry entry);
}
