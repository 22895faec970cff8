using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Secrets.Core;

namespace Secrets.Sealing;

/// <summary>
/// Renders <c>spec.template.data</c> (§2.2). The controller uses Go text/template with Sprig; this is a documented
/// subset: <c>{{ .key }}</c>, <c>{{ index . "my-key" }}</c>, string literals, pipes into <c>toJson</c>, <c>b64enc</c>,
/// <c>b64dec</c>, <c>quote</c>, <c>squote</c>, <c>upper</c>, <c>lower</c>, <c>trim</c>, and <c>{{-</c>/<c>-}}</c> trimming.
/// A missing key prints <c>&lt;no value&gt;</c> like Go does for maps.
/// </summary>
internal static class TemplateRenderer
{
    public static string Render(string item, string template, IReadOnlyDictionary<string, string> values)
    {
        var output = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                output.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(item, "unclosed action");
            }

            var text = template[position..open];
            var action = template[(open + 2)..close];
            if (action.StartsWith("- ", StringComparison.Ordinal) || action == "-")
            {
                text = text.TrimEnd();
                action = action[1..];
            }

            var trimAfter = action.EndsWith(" -", StringComparison.Ordinal);
            if (trimAfter)
            {
                action = action[..^2];
            }

            output.Append(text);
            output.Append(Evaluate(item, action.Trim(), values));
            position = close + 2;
            if (trimAfter)
            {
                while (position < template.Length && char.IsWhiteSpace(template[position]))
                {
                    position++;
                }
            }
        }

        return output.ToString();
    }

    private static string Evaluate(string item, string action, IReadOnlyDictionary<string, string> values)
    {
        if (action.StartsWith("/*", StringComparison.Ordinal))
        {
            return "";
        }

        string? value = null;
        var first = true;
        foreach (var command in action.Split('|'))
        {
            var words = Tokenize(item, command.Trim());
            if (words.Count == 0)
            {
                throw Error(item, "empty command");
            }

            if (first)
            {
                value = words[0] == "index" ? Index(item, words, values) : words.Count == 1 ? Operand(item, words[0], values) : null;
                if (value is null)
                {
                    value = Apply(item, words[0], words.Skip(1).Select(w => Operand(item, w, values)).ToList());
                }
            }
            else
            {
                value = Apply(item, words[0], [.. words.Skip(1).Select(w => Operand(item, w, values)), value!]);
            }

            first = false;
        }

        return value ?? "";
    }

    private static string? Index(string item, List<string> words, IReadOnlyDictionary<string, string> values)
    {
        if (words.Count != 3 || words[1] != ".")
        {
            throw Error(item, "only 'index . \"key\"' is supported");
        }

        var key = Operand(item, words[2], values);
        return values.TryGetValue(key, out var found) ? found : "<no value>";
    }

    private static string Operand(string item, string word, IReadOnlyDictionary<string, string> values)
    {
        if (word.StartsWith('"'))
        {
            try
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(word));
                reader.Read();
                return reader.GetString() ?? "";
            }
            catch (JsonException)
            {
                throw Error(item, $"bad string literal {word}");
            }
        }

        if (word.StartsWith('.') && word.Length > 1 && !word[1..].Contains('.', StringComparison.Ordinal))
        {
            return values.TryGetValue(word[1..], out var found) ? found : "<no value>";
        }

        throw Error(item, $"unsupported operand \"{word}\"");
    }

    private static string Apply(string item, string function, List<string> args) => (function, args.Count) switch
    {
        ("toJson", 1) => ToJson(args[0]),
        ("b64enc", 1) => Convert.ToBase64String(Encoding.UTF8.GetBytes(args[0])),
        ("b64dec", 1) => Encoding.UTF8.GetString(Convert.FromBase64String(args[0])),
        ("quote", 1) => ToJson(args[0]),
        ("squote", 1) => $"'{args[0]}'",
        ("upper", 1) => args[0].ToUpperInvariant(),
        ("lower", 1) => args[0].ToLowerInvariant(),
        ("trim", 1) => args[0].Trim(),
        _ => throw Error(item, $"template function \"{function}\" with {args.Count} argument(s) is not supported"),
    };

    private static string ToJson(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<string> Tokenize(string item, string command)
    {
        var words = new List<string>();
        var i = 0;
        while (i < command.Length)
        {
            if (char.IsWhiteSpace(command[i]))
            {
                i++;
                continue;
            }

            var start = i;
            if (command[i] == '"')
            {
                i++;
                while (i < command.Length && command[i] != '"')
                {
                    i += command[i] == '\\' ? 2 : 1;
                }

                if (i >= command.Length)
                {
                    throw Error(item, "unterminated string");
                }

                i++;
            }
            else
            {
                while (i < command.Length && !char.IsWhiteSpace(command[i]))
                {
                    i++;
                }
            }

            words.Add(command[start..i]);
        }

        return words;
    }

    private static InvalidFileException Error(string item, string message) =>
        new($"spec.template.data.\"{item}\": {message}")
        {
            Hints = ["supported: {{ .key }}, {{ index . \"key\" }}, pipes into toJson, b64enc, b64dec, quote, squote, upper, lower, trim"],
        };
}
