using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// ESO's bookkeeping hashes (eso-flux.md §1.2, vectors in eso/hash-vectors.json): SHA3-224 over Go's <c>%+v</c>
/// rendering. The BCL has no SHA3-224, so BouncyCastle computes it.
/// </summary>
public static class EsoHash
{
    /// <summary>The <c>reconcile.external-secrets.io/data-hash</c> annotation: <c>map[k:[1 2 3] …]</c>, keys sorted.</summary>
    public static string DataHash(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder("map[");
        var first = true;
        foreach (var (key, value) in data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            sb.Append(key).Append(":[").AppendJoin(' ', value.Select(b => b.ToString(CultureInfo.InvariantCulture))).Append(']');
        }

        return Sha3224(sb.Append(']').ToString());
    }

    /// <summary><c>status.syncedResourceVersion</c>: <c>"&lt;generation&gt;-" + sha3-224("{annotations:map[…] labels:map[…]}")</c>.</summary>
    public static string ResourceVersion(long generation, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(annotations);
        var text = $"{{annotations:{GoMap(annotations)} labels:{GoMap(labels)}}}";
        return generation.ToString(CultureInfo.InvariantCulture) + "-" + Sha3224(text);
    }

    /// <summary>The <c>reconcile.external-secrets.io/created-by</c> label: sha3-224 of "namespace/name".</summary>
    public static string CreatedBy(string ns, string name) => Sha3224($"{ns}/{name}");

    private static string GoMap(IReadOnlyDictionary<string, string> map) =>
        "map[" + string.Join(' ', map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + kv.Value)) + "]";

    public static string Sha3224(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digest = new Sha3Digest(224);
        var bytes = Encoding.UTF8.GetBytes(text);
        digest.BlockUpdate(bytes, 0, bytes.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return Convert.ToHexStringLower(output);
    }
}
