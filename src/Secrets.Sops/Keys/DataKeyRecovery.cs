using System.Security.Cryptography;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Metadata;

namespace Secrets.Sops.Keys;

/// <summary>
/// Recovers the data key from the metadata (sops.md §2, §5): inside a group keys are tried in the decryption order
/// (default age, pgp, then the rest in file order) until one succeeds; groups are tried in parallel; with several
/// groups the shares are combined. Every failed attempt is reported with the key id and the reason.
/// </summary>
public sealed class DataKeyRecovery(MasterKeyRegistry registry, IReadOnlyList<string>? decryptionOrder = null)
{
    public static IReadOnlyList<string> DefaultOrder { get; } = ["age", "pgp"];

    private readonly IReadOnlyList<string> _order = decryptionOrder is { Count: > 0 } ? decryptionOrder : DefaultOrder;

    /// <summary>Parses <c>--decryption-order</c>/<c>SOPS_DECRYPTION_ORDER</c> (comma-separated key types).</summary>
    public static IReadOnlyList<string> ParseOrder(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultOrder;
        }

        var order = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var duplicate = order.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? order
            : throw new SecretsOperationException(ErrorKind.Usage, $"decryption order names \"{duplicate.Key}\" twice");
    }

    public async Task<byte[]> RecoverAsync(SopsMetadata metadata, CancellationToken cancellationToken)
    {
        var attempts = new List<string>();
        var results = await Task.WhenAll(metadata.KeyGroups.Select((group, index) => UnwrapGroupAsync(group, index, metadata.KeyGroups.Count, cancellationToken))).ConfigureAwait(false);
        foreach (var result in results)
        {
            attempts.AddRange(result.Attempts);
        }

        var shares = results.Where(r => r.Secret is not null).Select(r => r.Secret!).ToList();
        try
        {
            if (metadata.KeyGroups.Count == 1 && shares.Count == 1)
            {
                var key = shares[0];
                shares.Clear();
                return key.Length == 32 ? key : throw new InvalidFileException($"the recovered data key has {key.Length} bytes instead of 32");
            }

            var threshold = metadata.ShamirThreshold == 0 ? metadata.KeyGroups.Count : metadata.ShamirThreshold;
            if (metadata.KeyGroups.Count > 1 && shares.Count >= threshold)
            {
                return Shamir.Combine(shares);
            }

            var needed = metadata.KeyGroups.Count > 1 ? $" ({shares.Count} of {threshold} key groups needed)" : "";
            throw new NoMatchingKeyException($"failed to get the data key required to decrypt the file{needed}", attempts)
            {
                Hints =
                [
                    "give an identity for one of the keys above: SOPS_AGE_KEY_FILE / SOPS_AGE_KEY for age, exported keys in GNUPGHOME for pgp",
                ],
            };
        }
        finally
        {
            foreach (var share in shares)
            {
                CryptographicOperations.ZeroMemory(share);
            }
        }
    }

    private async Task<GroupResult> UnwrapGroupAsync(List<MasterKeyEntry> group, int index, int groupCount, CancellationToken cancellationToken)
    {
        var attempts = new List<string>();
        var prefix = groupCount > 1 ? $"group {index}: " : "";
        foreach (var entry in Ordered(group))
        {
            var id = KeyId(entry);
            var source = registry.Find(entry.Type);
            if (source is null)
            {
                attempts.Add($"{prefix}{entry.Type} {id}: this build has no {entry.Type} key source");
                continue;
            }

            try
            {
                var secret = await source.TryUnwrapAsync(entry, cancellationToken).ConfigureAwait(false);
                if (secret is not null)
                {
                    return new GroupResult(secret, attempts);
                }

                var reason = (source as IExplainsMiss)?.ExplainMiss(entry) ?? "no matching identity or key available";
                attempts.Add($"{prefix}{entry.Type} {id}: {reason}");
            }
            catch (SecretsException ex) when (ex is not InvalidFileException)
            {
                attempts.Add($"{prefix}{entry.Type} {id}: {ex.Message}");
            }
        }

        if (group.Count == 0)
        {
            attempts.Add($"{prefix}the key group is empty");
        }

        return new GroupResult(null, attempts);
    }

    private IEnumerable<MasterKeyEntry> Ordered(List<MasterKeyEntry> group) =>
        group.Select((entry, position) => (entry, position))
            .OrderBy(e => Rank(e.entry.Type))
            .ThenBy(e => e.position)
            .Select(e => e.entry);

    private int Rank(string type)
    {
        for (var i = 0; i < _order.Count; i++)
        {
            if (string.Equals(_order[i], type, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return _order.Count;
    }

    /// <summary>What the user knows a stored key by (never secret).</summary>
    public static string KeyId(MasterKeyEntry entry) =>
        entry["recipient"] ?? entry["fp"] ?? entry["arn"] ?? entry["resource_id"] ?? entry["key_id"]
        ?? (entry["vault_url"] is { } url ? $"{url.TrimEnd('/')}/keys/{entry["name"]}/{entry["version"]}" : null)
        ?? (entry["vault_address"] is { } address ? $"{address.TrimEnd('/')}/v1/{entry["engine_path"]}/keys/{entry["key_name"]}" : null)
        ?? "(unnamed)";

    private sealed record GroupResult(byte[]? Secret, List<string> Attempts);
}
