using System.Buffers;
using System.Globalization;
using System.Text;

namespace Secrets.Sops.Stores;

internal enum ScalarKind
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// <summary>
/// How go-yaml v3 writes a string (sops.md §6.1): encode.go stringv picks plain, literal (multi-line) or double quotes
/// (when the plain text would resolve to another type), then emitterc.go analyze_scalar/select_scalar_style downgrades
/// plain to single quotes and literal to double quotes where the text cannot be written that way.
/// </summary>
internal static class YamlScalarStyle
{
    private static readonly SearchValues<char> EncChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=,:[]_");
    private static readonly SearchValues<char> QuietChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._/-");

    public static ScalarKind Choose(string text, bool simpleKey)
    {
        var analysis = Analyze(text);
        ScalarKind style;
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            style = ScalarKind.Literal;
        }
        else
        {
            style = YamlScalars.NeedsQuotes(text) ? ScalarKind.DoubleQuoted : ScalarKind.Plain;
        }

        if (style == ScalarKind.Plain)
        {
            if (!analysis.BlockPlainAllowed || (text.Length == 0 && simpleKey))
            {
                style = ScalarKind.SingleQuoted;
            }
        }

        if (style == ScalarKind.SingleQuoted && !analysis.SingleQuotedAllowed)
        {
            style = ScalarKind.DoubleQuoted;
        }

        if (style == ScalarKind.Literal && (!analysis.BlockAllowed || simpleKey))
        {
            style = ScalarKind.DoubleQuoted;
        }

        return style;
    }

    /// <summary>
    /// A canonical <c>ENC[AES256_GCM,…]</c> value (sops.md §1): letters, digits and <c>+/=,:[]_</c>, no space, not
    /// ending in ':'. Such text is always written plain (no indicator, nothing that resolves to another type), so the
    /// per-character analysis of <see cref="Choose"/> is skipped for the 150-odd characters of every encrypted value.
    /// </summary>
    public static bool IsEncValue(string text) =>
        text.StartsWith("ENC[AES256_GCM,", StringComparison.Ordinal) && text[^1] != ':' && !text.AsSpan().ContainsAnyExcept(EncChars);

    /// <summary>emitterc.go is_break: LF, CR, NEL, LS, PS.</summary>
    public static bool IsBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Block chomping hint: "-" without a final break, "+" when the text is or ends in an empty line.</summary>
    public static string Chomping(string text)
    {
        if (text.Length == 0 || !IsBreak(text[^1]))
        {
            return "-";
        }

        return text.Length == 1 || IsBreak(text[^2]) ? "+" : "";
    }

    /// <summary>The escape emitterc.go write_double_quoted_scalar uses for a character, or null to write it as is.</summary>
    public static string? Escape(Rune rune)
    {
        var value = rune.Value;
        if (IsPrintable(value) && value != 0xFEFF && !IsBreak((char)Math.Min(value, 0xFFFF)) && value is not '"' and not '\\')
        {
            return null;
        }

        return value switch
        {
            0 => "\\0",
            7 => "\\a",
            8 => "\\b",
            9 => "\\t",
            0xA => "\\n",
            0xB => "\\v",
            0xC => "\\f",
            0xD => "\\r",
            0x1B => "\\e",
            '"' => "\\\"",
            '\\' => "\\\\",
            0x85 => "\\N",
            0xA0 => "\\_",
            0x2028 => "\\L",
            0x2029 => "\\P",
            <= 0xFF => "\\x" + value.ToString("X2", CultureInfo.InvariantCulture),
            <= 0xFFFF => "\\u" + value.ToString("X4", CultureInfo.InvariantCulture),
            _ => "\\U" + value.ToString("X8", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>yamlprivateh.go is_printable (the emitter runs with unicode on, so non-ASCII is fine).</summary>
    private static bool IsPrintable(int c) =>
        c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || c >= 0x10000;

    private static Analysis Analyze(string text)
    {
        if (text.Length == 0)
        {
            return new Analysis(BlockPlainAllowed: true, SingleQuotedAllowed: true, BlockAllowed: false);
        }

        // Most keys and values are words: starting with a letter or digit, not ending in a space, made of letters,
        // digits, inner spaces and ._/- only. None of the loop's conditions can hold for them.
        if (char.IsAsciiLetterOrDigit(text[0]) && text[^1] != ' ' && !text.AsSpan().ContainsAnyExcept(QuietChars))
        {
            return new Analysis(BlockPlainAllowed: true, SingleQuotedAllowed: true, BlockAllowed: true);
        }

        bool blockIndicators = text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal);
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, special = false, lineBreaks = false;
        bool previousSpace = false, previousBreak = false, precededByWhitespace = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var followedByWhitespace = i + 1 >= text.Length || text[i + 1] is ' ' or '\t' || IsBreak(text[i + 1]);
            if (i == 0)
            {
                blockIndicators |= c switch
                {
                    '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' => true,
                    '?' or ':' or '-' => followedByWhitespace,
                    _ => false,
                };
            }
            else
            {
                blockIndicators |= (c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace);
            }

            if (!char.IsSurrogate(c) && (!IsPrintable(c) || c == 0xFEFF))
            {
                special = true;
            }

            var last = i == text.Length - 1;
            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= last;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(c))
            {
                lineBreaks = true;
                leadingBreak |= i == 0;
                trailingBreak |= last;
                spaceBreak |= previousSpace;
                previousBreak = true;
                previousSpace = false;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }

            precededByWhitespace = c is ' ' or '\t' || IsBreak(c);
        }

        var blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks || blockIndicators);
        var single = !(breakSpace || spaceBreak || special);
        var block = !(trailingSpace || spaceBreak || special);
        return new Analysis(blockPlain, single, block);
    }

    private readonly record struct Analysis(bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed);
}
