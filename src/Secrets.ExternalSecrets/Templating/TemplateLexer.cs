using System.Globalization;
using System.Text;

namespace Secrets.ExternalSecrets.Templating;

internal enum TokenKind
{
    Identifier,
    Field,
    Variable,
    Dot,
    String,
    Number,
    Pipe,
    LeftParen,
    RightParen,
    Comma,
    Declare,
    Assign,
}

internal sealed record Token(TokenKind Kind, string Text, bool SpaceBefore, object? Value = null);

/// <summary>A piece of a template: literal text or the inside of one <c>{{ }}</c> action.</summary>
internal sealed record Segment(bool IsAction, string Text, int Line, int Column);

/// <summary>
/// Splits a template into text and actions (Go text/template lexing: <c>{{- </c>/<c> -}}</c> trim surrounding ASCII
/// whitespace, <c>{{/* */}}</c> comments vanish) and tokenizes actions.
/// </summary>
internal static class TemplateLexer
{
    public const string LeftDelimiter = "{{";
    public const string RightDelimiter = "}}";

    public static List<Segment> Split(string text, string name)
    {
        var segments = new List<Segment>();
        var position = 0;
        var trimNextText = false;
        while (position <= text.Length)
        {
            var start = text.IndexOf(LeftDelimiter, position, StringComparison.Ordinal);
            var literal = start < 0 ? text[position..] : text[position..start];
            if (trimNextText)
            {
                literal = literal.TrimStart(' ', '\t', '\r', '\n');
            }

            var actionStart = start + LeftDelimiter.Length;
            var trimLeft = start >= 0 && actionStart + 1 < text.Length && text[actionStart] == '-' && IsSpace(text[actionStart + 1]);
            if (trimLeft)
            {
                literal = literal.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (literal.Length > 0)
            {
                segments.Add(new Segment(false, literal, 0, 0));
            }

            if (start < 0)
            {
                break;
            }

            var (line, column) = Position(text, start);
            var inner = trimLeft ? actionStart + 2 : actionStart;
            var end = FindActionEnd(text, inner, name, line);
            var body = text[inner..end];
            trimNextText = body.Length >= 2 && body[^1] == '-' && IsSpace(body[^2]);
            if (trimNextText)
            {
                body = body[..^2];
            }

            var trimmed = body.Trim();
            if (trimmed.StartsWith("/*", StringComparison.Ordinal))
            {
                if (!trimmed.EndsWith("*/", StringComparison.Ordinal))
                {
                    throw new TemplateException($"template: {name}:{line}: unclosed comment");
                }
            }
            else
            {
                segments.Add(new Segment(true, body, line, column));
            }

            position = end + RightDelimiter.Length;
        }

        return segments;
    }

    private static int FindActionEnd(string text, int from, string name, int line)
    {
        var i = from;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '`' or '\'')
            {
                i = SkipQuoted(text, i, name, line);
                continue;
            }

            if (text.AsSpan(i).StartsWith(RightDelimiter))
            {
                return i;
            }

            if (text.AsSpan(i).StartsWith("/*"))
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? throw new TemplateException($"template: {name}:{line}: unclosed comment") : close + 2;
                continue;
            }

            i++;
        }

        throw new TemplateException($"template: {name}:{line}: unclosed action");
    }

    private static int SkipQuoted(string text, int i, string name, int line)
    {
        var quote = text[i++];
        while (i < text.Length && text[i] != quote)
        {
            if (quote != '`' && text[i] == '\\')
            {
                i++;
            }

            if (quote != '`' && text[i] == '\n')
            {
                break;
            }

            i++;
        }

        return i < text.Length && text[i] == quote ? i + 1 : throw new TemplateException($"template: {name}:{line}: unterminated quoted string");
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    public static List<Token> Tokenize(string action, Func<string, TemplateException> error)
    {
        var tokens = new List<Token>();
        var i = 0;
        var space = false;
        while (i < action.Length)
        {
            var c = action[i];
            if (IsSpace(c))
            {
                space = true;
                i++;
                continue;
            }

            var start = i;
            Token token;
            switch (c)
            {
                case '|':
                    i++;
                    token = new Token(TokenKind.Pipe, "|", space);
                    break;
                case '(':
                    i++;
                    token = new Token(TokenKind.LeftParen, "(", space);
                    break;
                case ')':
                    i++;
                    token = new Token(TokenKind.RightParen, ")", space);
                    break;
                case ',':
                    i++;
                    token = new Token(TokenKind.Comma, ",", space);
                    break;
                case ':' when i + 1 < action.Length && action[i + 1] == '=':
                    i += 2;
                    token = new Token(TokenKind.Declare, ":=", space);
                    break;
                case '=':
                    i++;
                    token = new Token(TokenKind.Assign, "=", space);
                    break;
                case '"' or '`':
                    token = new Token(TokenKind.String, "", space, ReadString(action, ref i, error));
                    break;
                case '\'':
                    token = new Token(TokenKind.Number, "", space, (long)ReadChar(action, ref i, error));
                    break;
                case '$':
                    i++;
                    while (i < action.Length && IsAlphaNumeric(action[i]))
                    {
                        i++;
                    }

                    token = new Token(TokenKind.Variable, action[start..i], space);
                    break;
                case '.' when i + 1 < action.Length && IsAlphaNumeric(action[i + 1]) && !char.IsAsciiDigit(action[i + 1]):
                    i++;
                    while (i < action.Length && IsAlphaNumeric(action[i]))
                    {
                        i++;
                    }

                    token = new Token(TokenKind.Field, action[(start + 1)..i], space);
                    break;
                case '.' when i + 1 >= action.Length || !char.IsAsciiDigit(action[i + 1]):
                    i++;
                    token = new Token(TokenKind.Dot, ".", space);
                    break;
                default:
                    if (char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && i + 1 < action.Length && (char.IsAsciiDigit(action[i + 1]) || action[i + 1] == '.')))
                    {
                        i++;
                        while (i < action.Length && (char.IsAsciiLetterOrDigit(action[i]) || action[i] is '.' or '_' || ((action[i] is '+' or '-') && action[i - 1] is 'e' or 'E' or 'p' or 'P')))
                        {
                            i++;
                        }

                        var text = action[start..i];
                        token = new Token(TokenKind.Number, text, space, ParseNumber(text) ?? throw error($"bad number syntax: \"{text}\""));
                    }
                    else if (IsAlphaNumeric(c))
                    {
                        while (i < action.Length && IsAlphaNumeric(action[i]))
                        {
                            i++;
                        }

                        token = new Token(TokenKind.Identifier, action[start..i], space);
                    }
                    else
                    {
                        throw error($"unexpected \"{c}\" in command");
                    }

                    break;
            }

            tokens.Add(token);
            space = false;
        }

        return tokens;
    }

    private static object? ParseNumber(string text)
    {
        var clean = text.Replace("_", "", StringComparison.Ordinal);
        var negative = clean.StartsWith('-');
        var body = clean.TrimStart('-', '+');
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return negative ? -hex : hex;
        }

        if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real : null;
    }

    private static char ReadChar(string action, ref int i, Func<string, TemplateException> error)
    {
        var end = action.IndexOf('\'', i + 1);
        if (end < 0)
        {
            throw error("unterminated character constant");
        }

        var inner = action[(i + 1)..end];
        i = end + 1;
        return inner.Length == 1 ? inner[0] : Unescape(inner, error) is { Length: 1 } single ? single[0] : throw error("bad character constant");
    }

    private static string ReadString(string action, ref int i, Func<string, TemplateException> error)
    {
        var quote = action[i];
        var end = i + 1;
        while (end < action.Length && action[end] != quote)
        {
            end += quote == '"' && action[end] == '\\' ? 2 : 1;
        }

        if (end >= action.Length)
        {
            throw error("unterminated quoted string");
        }

        var inner = action[(i + 1)..end];
        i = end + 1;
        return quote == '`' ? inner : Unescape(inner, error);
    }

    // Go interpreted string literal escapes (strconv.Unquote).
    private static string Unescape(string s, Func<string, TemplateException> error)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                sb.Append(s[i]);
                continue;
            }

            if (++i >= s.Length)
            {
                throw error("bad escape in string");
            }

            switch (s[i])
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'x':
                    sb.Append((char)int.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u':
                    sb.Append((char)int.Parse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U':
                    sb.Append(char.ConvertFromUtf32(int.Parse(s.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    throw error($"unknown escape sequence \\{s[i]}");
            }
        }

        return sb.ToString();
    }
}
