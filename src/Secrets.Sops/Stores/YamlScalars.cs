using System.Globalization;
using System.Text.RegularExpressions;

namespace Secrets.Sops.Stores;

/// <summary>
/// go-yaml v3's resolution of plain scalars (resolve.go), which decides both the <c>type:</c> of an encrypted value and
/// the bytes the MAC hashes (sops.md §1.1, §11); and the reverse question for output: would this string read back as
/// something else, so it must be quoted.
/// </summary>
internal static partial class YamlScalars
{
    public static object? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        var first = text[0];
        if (!char.IsAsciiDigit(first) && first is not '-' and not '+' and not '.')
        {
            return text;
        }

        if (Timestamp(text) is { } time)
        {
            return time;
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (ParseGoInt(plain) is { } integer)
        {
            return integer;
        }

        if (YamlFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return text;
    }

    /// <summary>
    /// True when go-yaml v3 double-quotes this string (encode.go stringv): a plain scalar would resolve to another type
    /// (or to the merge key <c>&lt;&lt;</c>), or YAML 1.1 would read it as a bool or a base-60 float.
    /// </summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0 || text == "<<" || Resolve(text) is not string || IsOldBool(text) || Base60Float().IsMatch(text);

    /// <summary>The plain text go-yaml v3 writes for a non-string scalar (sops.md §6.1).</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d when double.IsNaN(d) => ".nan",
        double d => Tree.GoFormat.FloatGeneral(d),
        DateTimeOffset t => Tree.GoFormat.Time(t),
        _ => Crypto.PlainValue.ToText(value),
    };

    private static bool IsOldBool(string text) => text is "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO"
        or "on" or "On" or "ON" or "off" or "Off" or "OFF";

    /// <summary>go-yaml parseTimestamp: date, or date-time with T/t/space, optional fraction and zone.</summary>
    private static DateTimeOffset? Timestamp(string text)
    {
        if (!TimestampShape().IsMatch(text))
        {
            return null;
        }

        string[] formats =
        [
            "yyyy-M-d'T'H:m:s.FFFFFFFK", "yyyy-M-d't'H:m:s.FFFFFFFK", "yyyy-M-d H:m:s.FFFFFFF", "yyyy-M-d H:m:s.FFFFFFFK", "yyyy-M-d",
        ];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
    }

    /// <summary>strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b prefixes or a leading 0 for octal.</summary>
    private static long? ParseGoInt(string text)
    {
        var body = text;
        var negative = false;
        if (body.StartsWith('-') || body.StartsWith('+'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return null;
        }

        var (digits, radix) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch
            {
                'x' => (body[2..], 16),
                'o' => (body[2..], 8),
                'b' => (body[2..], 2),
                _ => (body[1..], 8),
            }
            : (body, 10);
        if (digits.Length == 0)
        {
            return null;
        }

        ulong value = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return null;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return null;
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        if (negative)
        {
            return value <= 1UL << 63 ? (long)(0 - value) : null;
        }

        return value <= long.MaxValue ? (long)value : null;
    }

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Base60Float();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\s*(Z|[-+][0-9]{1,2}(:?[0-9]{2})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampShape();
}
