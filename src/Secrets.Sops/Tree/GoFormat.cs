using System.Globalization;
using System.Text;

namespace Secrets.Sops.Tree;

/// <summary>
/// Go's number and time text forms that sops relies on: <c>strconv.FormatFloat(f,'f'|'g',-1,64)</c>, encoding/json
/// floats and RFC3339Nano. .NET's shortest round-trip form ("R") has the same digits but its own exponent rules.
/// </summary>
public static class GoFormat
{
    /// <summary><c>FormatFloat(f,'f',-1,64)</c>: shortest digits, never an exponent (sops.md §1.1).</summary>
    public static string FloatFixed(double value)
    {
        if (SpecialFloat(value) is { } special)
        {
            return special;
        }

        var (negative, digits, point) = Decompose(value);
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        if (point <= 0)
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            text.Append(digits).Append('0', point - digits.Length);
        }
        else
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }

        return text.ToString();
    }

    /// <summary><c>FormatFloat(f,'g',-1,64)</c> as go-yaml writes floats: exponent when it is below -4 or at least 6.</summary>
    public static string FloatGeneral(double value) => FloatWithExponentOutside(value, -4, 6, padExponent: true);

    /// <summary>encoding/json float form (ES6): fixed between 1e-6 and 1e21, else <c>1e+21</c>, <c>1e-7</c>.</summary>
    public static string FloatJson(double value) => FloatWithExponentOutside(value, -6, 21, padExponent: false);

    /// <summary>RFC3339Nano as Go's <c>time.Time.MarshalText</c>: fraction without trailing zeros, <c>Z</c> for UTC.</summary>
    public static string Time(DateTimeOffset value)
    {
        var text = new StringBuilder(value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        var ticks = value.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
        {
            text.Append('.').Append(ticks.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        if (value.Offset == TimeSpan.Zero)
        {
            text.Append('Z');
        }
        else
        {
            var offset = value.Offset;
            text.Append(offset < TimeSpan.Zero ? '-' : '+').Append(offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>RFC3339 without fraction, as sops writes <c>lastmodified</c> and <c>created_at</c>.</summary>
    public static string TimeSeconds(DateTimeOffset value) => Time(new DateTimeOffset(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset));

    private static string FloatWithExponentOutside(double value, int lowestFixed, int highExclusive, bool padExponent)
    {
        if (SpecialFloat(value) is { } special)
        {
            return special;
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (negative, digits, point) = Decompose(value);
        var exponent = point - 1;
        if (exponent >= lowestFixed && exponent < highExclusive)
        {
            return FloatFixed(value);
        }

        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        text.Append('e').Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        text.Append(padExponent && magnitude.Length < 2 ? "0" + magnitude : magnitude);
        return text.ToString();
    }

    private static string? SpecialFloat(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : null;

    /// <summary>Shortest round-trip digits (no leading/trailing zeros) and the decimal point position.</summary>
    private static (bool Negative, string Digits, int Point) Decompose(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var point = dot >= 0 ? dot : text.Length;
        var digits = text.Replace(".", "", StringComparison.Ordinal);
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        point -= leading;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 1);
        }

        return (negative, digits, point + exponent);
    }
}
