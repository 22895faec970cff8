using System.Globalization;
using System.Text;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// Go's float formatting (strconv.FormatFloat with the shortest round-trip digits) where ESO emits numbers:
/// <c>%v</c> (<c>'g'</c>: exponent form when exp &lt; -4 or ≥ 6), gjson (<c>'f'</c>) and encoding/json.
/// </summary>
public static class GoFloat
{
    /// <summary>Shortest decimal digits and the decimal point position: 1234.5 → ("12345", 4); 0.001 → ("1", -2).</summary>
    private static (string Digits, int Point) Shortest(double value)
    {
        // "R" gives the shortest round-trip digits, in fixed or exponent form: normalise both.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? r : r[..dot];
        var digits = dot < 0 ? r : r.Remove(dot, 1);
        var point = integerPart.Length + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        point -= leading;
        digits = digits.TrimEnd('0');
        return digits.Length == 0 ? ("0", 1) : (digits, point);
    }

    /// <summary><c>strconv.FormatFloat(f, 'f', -1, 64)</c> (gjson Result.String for non-integer numbers, eso-flux.md §2.1).</summary>
    public static string FormatFixed(double value)
    {
        if (!double.IsFinite(value))
        {
            return NonFinite(value);
        }

        var (digits, point) = Shortest(value);
        return (value < 0 ? "-" : "") + Fixed(digits, point);
    }

    /// <summary><c>strconv.FormatFloat(f, 'g', -1, 64)</c>, which is what <c>%v</c> prints for a float64.</summary>
    public static string FormatGeneral(double value)
    {
        if (!double.IsFinite(value))
        {
            return NonFinite(value);
        }

        var (digits, point) = Shortest(value);
        var sign = value < 0 ? "-" : "";
        if (digits == "0")
        {
            return sign + "0";
        }

        var exponent = point - 1;
        // strconv ftoa.go: "if precision was the shortest possible, use precision 6 for this decision"
        return exponent < -4 || exponent >= 6
            ? sign + Exponent(digits, exponent, "e", 2)
            : sign + Fixed(digits, point);
    }

    /// <summary>encoding/json float64: 'f' unless |f| &lt; 1e-6 or ≥ 1e21, then 'e' with a trimmed exponent (e-07 → e-7).</summary>
    public static string FormatJson(double value)
    {
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var (digits, point) = Shortest(value);
            return (value < 0 ? "-" : "") + Exponent(digits, point - 1, "e", 1);
        }

        return FormatFixed(value);
    }

    private static string Fixed(string digits, int point)
    {
        if (point <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length ? digits + new string('0', point - digits.Length) : digits[..point] + "." + digits[point..];
    }

    private static string Exponent(string digits, int exponent, string marker, int minimumExponentDigits)
    {
        var sb = new StringBuilder();
        sb.Append(digits[0]);
        if (digits.Length > 1)
        {
            sb.Append('.').Append(digits.AsSpan(1));
        }

        sb.Append(marker).Append(exponent < 0 ? '-' : '+');
        sb.Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(minimumExponentDigits, '0'));
        return sb.ToString();
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
}
