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
public sealed class DataKeyRecovery(MasterKeyRegistry registry, IReadOnlyList<string>? decryptionOrder = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long a key may take before the next key in the order is started alongside it.</summary>
    public TimeSpan HedgeDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one key may take in all (a key service that never answers is abandoned after this).</summary>
    public TimeSpan KeyTimeout { get; init; } = TimeSpan.FromSeconds(20);

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
        var shares = new List<byte[]>();
        foreach (var result in results)
        {
            attempts.AddRange(result.Attempts);
            if (result.Secret is { } share)
            {
                shares.Add(share);
            }
        }

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

    /// <summary>
    /// The keys of one group in decryption order, overlapping (sops.md §5; issue #3 item 6): key n+1 starts when every
    /// earlier key has failed or <see cref="HedgeDelay"/> after key n started, whichever comes first; each key gets
    /// <see cref="KeyTimeout"/>; the first data key wins and the others are cancelled. A dead key service first in the
    /// order so costs one hedge delay, not its timeout, and a working local key (age, pgp) answers before a cloud key
    /// is ever asked. A local key is asked on the calling thread and is not hedged: it answers in milliseconds, and one
    /// that waits (a passphrase prompt, SOPS_AGE_KEY_CMD) is waited for before the next key, as sops does for every
    /// key. Attempts are reported in decryption order.
    /// </summary>
    private async Task<GroupResult> UnwrapGroupAsync(List<MasterKeyEntry> group, int index, int groupCount, CancellationToken cancellationToken)
    {
        var prefix = groupCount > 1 ? $"group {index}: " : "";
        var ordered = Ordered(group);
        var reasons = new string?[ordered.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task<byte[]?>>();
        var next = 0;
        byte[]? secret = null;
        try
        {
            while (secret is null && (next < ordered.Count || running.Count > 0))
            {
                if (next < ordered.Count && running.Count == 0)
                {
                    running.Add(TryKeyAsync(ordered[next], next++, reasons, stop.Token));
                    continue;
                }

                // No hedge timer while a key has already answered (a local key, asked inline): its answer is taken now.
                var hedge = next < ordered.Count && !running.Any(key => key.IsCompleted) ? Task.Delay(HedgeDelay, _time, stop.Token) : null;
                var finished = await Task.WhenAny(hedge is null ? running : [.. running, hedge]).ConfigureAwait(false);
                if (finished == hedge)
                {
                    running.Add(TryKeyAsync(ordered[next], next++, reasons, stop.Token));
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                running.Remove((Task<byte[]?>)finished);
                secret = await ((Task<byte[]?>)finished).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);

            // Keys still running are cancelled; a late data key is wiped.
            foreach (var late in running)
            {
                try
                {
                    if (await late.ConfigureAwait(false) is { } extra)
                    {
                        CryptographicOperations.ZeroMemory(extra);
                    }
                }
                catch (Exception ex) when (ex is SecretsException or OperationCanceledException)
                {
                    // The outcome is decided; what a cancelled key says no longer matters.
                }
            }
        }

        var attempts = new List<string>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (reasons[i] is { } reason)
            {
                attempts.Add($"{prefix}{ordered[i].Type} {KeyId(ordered[i])}: {reason}");
            }
        }

        if (group.Count == 0)
        {
            attempts.Add($"{prefix}the key group is empty");
        }

        return new GroupResult(secret, attempts);
    }

    /// <summary>
    /// One key: a key service off the caller's thread with its own timeout, a local key (<see cref="IAnswersLocally"/>)
    /// on it, so a file whose first key in the order is a working age or PGP key is decrypted without another thread or
    /// a timer. A miss or a failure leaves its reason and yields null.
    /// </summary>
    private async Task<byte[]?> TryKeyAsync(MasterKeyEntry entry, int position, string?[] reasons, CancellationToken stop)
    {
        var source = registry.Find(entry.Type);
        if (source is null)
        {
            reasons[position] = $"this build has no {entry.Type} key source";
            return null;
        }

        using var timeout = source is IAnswersLocally ? null : new CancellationTokenSource(KeyTimeout, _time);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            // A key service goes off the caller's thread: one that blocks must not hold the others. Always started, so
            // every key that was due is asked (and sees the cancellation) even when another won.
            var secret = linked is null
                ? await source.TryUnwrapAsync(entry, stop).ConfigureAwait(false)
                : await Task.Run(() => source.TryUnwrapAsync(entry, linked.Token).AsTask(), CancellationToken.None).ConfigureAwait(false);
            if (secret is null)
            {
                reasons[position] = (source as IExplainsMiss)?.ExplainMiss(entry) ?? "no matching identity or key available";
            }

            return secret;
        }
        catch (OperationCanceledException) when (timeout is { IsCancellationRequested: true } && !stop.IsCancellationRequested)
        {
            reasons[position] = $"no answer within {KeyTimeout.TotalSeconds:0.#} s";
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            reasons[position] = "cancelled";
            return null;
        }
        catch (SecretsException ex) when (ex is not InvalidFileException)
        {
            reasons[position] = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// The group in decryption order; keys of one type keep their file order since OrderBy is stable. Without ThenBy
    /// or Select on the ordered sequence: both are generic virtual methods, which Native AOT resolves through its type
    /// loader on first use (issue #3 item 7).
    /// </summary>
    private List<MasterKeyEntry> Ordered(List<MasterKeyEntry> group) => group.OrderBy(entry => Rank(entry.Type)).ToList();

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
