using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// dataFrom key handling (eso-flux.md §1.3 step 5, §2.2): conversionStrategy (Default: every rune that is not a
/// letter, digit, '-', '.' or '_' becomes '_'; Unicode: <c>_U%04x_</c>), rewrite steps and key validation.
/// </summary>
public static partial class KeyConversion
{
    public static string Convert(ConversionStrategy strategy, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder(key.Length);
        foreach (var rune in key.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || rune.Value is '-' or '.' or '_')
            {
                sb.Append(rune.ToString());
            }
            else
            {
                sb.Append(strategy == ConversionStrategy.Unicode ? "_U" + rune.Value.ToString("x4", CultureInfo.InvariantCulture) + "_" : "_");
            }
        }

        return sb.ToString();
    }

    public static Dictionary<string, byte[]> ConvertKeys(ConversionStrategy strategy, IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var converted = Convert(strategy, key);
            if (!result.TryAdd(converted, value))
            {
                throw new SyncException($"secret name collision during conversion: {converted}");
            }
        }

        return result;
    }

    /// <summary>Drops empty keys; rejects keys Kubernetes would refuse (ESO's "invalid secret keys" error).</summary>
    public static Dictionary<string, byte[]> Validate(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var invalid = data.Keys.Where(k => k.Length > 0 && (k.Length > 253 || !ValidKey().IsMatch(k))).Order(StringComparer.Ordinal).ToList();
        if (invalid.Count > 0)
        {
            throw new SyncException($"invalid secret keys: {string.Join(", ", invalid.Select(k => $"\"{k}\""))} (TIP: use rewrite or conversionStrategy to change keys)");
        }

        return data.Where(kv => kv.Key.Length > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    public static bool IsValidKey(string key) => key.Length is > 0 and <= 253 && ValidKey().IsMatch(key);

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ValidKey();
}
