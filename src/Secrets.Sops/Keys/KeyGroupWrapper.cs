using System.Security.Cryptography;
using Secrets.Core.Keys;

namespace Secrets.Sops.Keys;

/// <summary>Wraps a data key for every master key of every group; several groups get Shamir shares (sops.md §2, §5).</summary>
public static class KeyGroupWrapper
{
    /// <summary>
    /// The metadata entries for <paramref name="groups"/>. With more than one group the data key is split with
    /// <paramref name="threshold"/> (0 = all groups) and group <c>i</c> wraps share <c>i</c>. Keys wrap in parallel.
    /// </summary>
    public static async Task<(List<List<MasterKeyEntry>> Groups, int Threshold)> WrapAsync(
        ReadOnlyMemory<byte> dataKey, IReadOnlyList<IReadOnlyList<IMasterKey>> groups, int threshold, CancellationToken cancellationToken)
    {
        if (groups.Count == 0 || groups.All(g => g.Count == 0))
        {
            throw new Core.SecretsOperationException(Core.ErrorKind.Usage, "no master keys were given to encrypt the data key")
            {
                Hints = ["pass --age, --pgp, --kms, --azure-kv or --hc-vault-transit, or add a creation rule to .sops.yaml"],
            };
        }

        List<byte[]> secrets;
        if (groups.Count == 1)
        {
            secrets = [dataKey.ToArray()];
            threshold = threshold == 0 ? 0 : threshold;
        }
        else
        {
            threshold = threshold == 0 ? groups.Count : threshold;
            secrets = Shamir.Split(dataKey.Span, groups.Count, threshold);
        }

        try
        {
            var wrapped = await Task.WhenAll(groups.Select((group, index) => Task.WhenAll(
                group.Select(key => key.WrapAsync(secrets[index], cancellationToken).AsTask())))).ConfigureAwait(false);
            return ([.. wrapped.Select(group => group.ToList())], threshold);
        }
        finally
        {
            foreach (var secret in secrets)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }
}
