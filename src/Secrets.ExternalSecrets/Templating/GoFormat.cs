using System.Globalization;
using System.Text;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// Go's fmt.Sprintf for the verbs templates use (<c>%s %v %d %q %x %X %f %e %g %t %c %%</c>, flags <c>-+0 #</c>,
/// width and precision), including Go's <c>%!verb(type=value)</c> and <c>%!v(MISSING)</c> error strings.
/// </summary>
internal static class GoFormat
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            var (minus, plus, zero, space, sharp) = (false, false, false, false, false);
            for (; i < format.Length && format[i] is '-' or '+' or '0' or ' ' or '#'; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; break;
                    case '+': plus = true; break;
                    case '0': zero = true; break;
                    case ' ': space = true; break;
                    default: sharp = true; break;
                }
            }

            var width = ReadNumber(format, ref i, args, ref argIndex);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumber(format, ref i, args, ref argIndex) ?? 0;
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argIndex >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var text = FormatOne(verb, args[argIndex++], precision, plus, space, sharp);
            sb.Append(Pad(text, width, minus, zero && !minus));
        }

        if (argIndex < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(argIndex).Select(a => $"{GoValues.TypeName(a)}={GoValues.Format(a)}"));
            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int? ReadNumber(string format, ref int i, IReadOnlyList<object?> args, ref int argIndex)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            if (argIndex < args.Count && args[argIndex] is long star)
            {
                argIndex++;
                return (int)star;
            }

            return null;
        }

        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string Pad(string text, int? width, bool left, bool zero)
    {
        if (width is not { } w || text.Length >= w)
        {
            return text;
        }

        if (left)
        {
            return text.PadRight(w);
        }

        if (zero)
        {
            var signed = text.Length > 0 && text[0] is '-' or '+';
            return signed ? text[0] + text[1..].PadLeft(w - 1, '0') : text.PadLeft(w, '0');
        }

        return text.PadLeft(w);
    }

    private static string FormatOne(char verb, object? arg, int? precision, bool plus, bool space, bool sharp)
    {
        switch (verb, arg)
        {
            case ('v', _):
                return arg switch
                {
                    long l => Signed(l.ToString(CultureInfo.InvariantCulture), plus, space),
                    double d => Signed(GoFloat.FormatGeneral(d), plus, space),
                    string s when sharp => Quote(s),
                    _ => GoValues.Format(arg),
                };
            case ('s', string s):
                return precision is { } p && p < s.Length ? s[..p] : s;
            case ('s', IReadOnlyDictionary<string, string> or Dictionary<string, object?> or List<object?>):
                return GoValues.Format(arg);
            case ('q', string s):
                return Quote(s);
            case ('q' or 'c', long l):
                return verb == 'c' ? char.ConvertFromUtf32((int)l) : "'" + char.ConvertFromUtf32((int)l) + "'";
            case ('d', long l):
                return Signed(l.ToString(CultureInfo.InvariantCulture), plus, space);
            case ('x' or 'X', long l):
                var hex = Math.Abs(l).ToString(verb == 'x' ? "x" : "X", CultureInfo.InvariantCulture);
                return (l < 0 ? "-" : "") + (sharp ? (verb == 'x' ? "0x" : "0X") : "") + hex;
            case ('x' or 'X', string s):
                var bytes = Convert.ToHexString(Encoding.UTF8.GetBytes(s));
                return verb == 'x' ? bytes.ToLowerInvariant() : bytes;
            case ('f' or 'F' or 'e' or 'E' or 'g' or 'G', double or long):
                return Signed(Float(verb, arg is long li ? li : (double)arg!, precision), plus, space);
            case ('t', bool b):
                return b ? "true" : "false";
            default:
                return arg is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValues.TypeName(arg)}={GoValues.Format(arg)})";
        }
    }

    private static string Float(char verb, double value, int? precision)
    {
        if (!double.IsFinite(value))
        {
            return GoFloat.FormatGeneral(value);
        }

        switch (char.ToLowerInvariant(verb))
        {
            case 'f':
                return value.ToString("F" + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case 'e':
                var e = value.ToString((verb == 'e' ? "e" : "E") + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                // .NET writes three exponent digits (e+006); Go writes at least two (e+06).
                var mark = e.IndexOfAny(['e', 'E']);
                var exponent = int.Parse(e.AsSpan(mark + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                return e[..(mark + 1)] + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            default:
                var general = precision is null ? GoFloat.FormatGeneral(value) : value.ToString("G" + precision.Value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                return verb == 'G' ? general.ToUpperInvariant() : general;
        }
    }

    private static string Signed(string text, bool plus, bool space) =>
        text.StartsWith('-') ? text : plus ? "+" + text : space ? " " + text : text;

    /// <summary>strconv.Quote: Go escapes, printable Unicode kept.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
                    {
                        sb.Append(rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
