using System.Text;
using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// <c>decodingStrategy</c> (runtime/esutils Decode, eso-flux.md §1.2): Go's strict base64 (padding required, only
/// CR/LF ignored); Auto tries standard, then URL-safe, then keeps the bytes.
/// </summary>
public static class Decoding
{
    public static byte[] Decode(DecodingStrategy strategy, byte[] value, string key)
    {
        ArgumentNullException.ThrowIfNull(value);
        return strategy switch
        {
            DecodingStrategy.None => value,
            DecodingStrategy.Base64 => TryDecodeBase64(Encoding.UTF8.GetString(value), urlSafe: false) ?? throw Failed(key, "Base64"),
            DecodingStrategy.Base64URL => TryDecodeBase64(Encoding.UTF8.GetString(value), urlSafe: true) ?? throw Failed(key, "Base64URL"),
            _ => TryDecodeBase64(Encoding.UTF8.GetString(value), urlSafe: false) ?? TryDecodeBase64(Encoding.UTF8.GetString(value), urlSafe: true) ?? value,
        };
    }

    private static SyncException Failed(string key, string strategy) =>
        new($"error decoding key \"{key}\" with strategy {strategy}: the value is not valid {strategy} (padded, Go encoding/base64)");

    /// <summary>Go base64.StdEncoding / URLEncoding DecodeString; null when Go would return an error.</summary>
    public static byte[]? TryDecodeBase64(string text, bool urlSafe)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (clean.Length % 4 != 0 || FirstBadBase64Byte(clean, urlSafe) >= 0)
        {
            return null;
        }

        var standard = urlSafe ? clean.Replace('-', '+').Replace('_', '/') : clean;
        try
        {
            return Convert.FromBase64String(standard);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Index of the first byte Go would reject, or -1 (for sprig's error text).</summary>
    public static int FirstBadBase64Byte(string text, bool urlSafe = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var padding = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var valid = char.IsAsciiLetterOrDigit(c) || (urlSafe ? c is '-' or '_' : c is '+' or '/');
            if (c == '=')
            {
                padding = true;
                if (text.Length - i > 2)
                {
                    return i;
                }

                continue;
            }

            if (!valid || padding)
            {
                return i;
            }
        }

        return text.Length % 4 == 0 ? -1 : text.Length - (text.Length % 4);
    }
}
