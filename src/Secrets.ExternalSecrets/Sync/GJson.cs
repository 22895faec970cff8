using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// The gjson subset ESO's <c>property</c> uses (eso-flux.md §2.1): dotted keys, <c>\.</c> escapes, numeric array
/// indexes, <c>*</c>/<c>?</c> key wildcards and <c>#</c> (array length, or <c>a.#.b</c> to collect). Results follow
/// <c>Result.String()</c>: strings unescaped, integer literals as written, other numbers as Go 'f' format, objects and
/// arrays as the raw JSON slice with its original whitespace.
/// </summary>
public static class GJson
{
    /// <summary>The value at <paramref name="path"/> as bytes, or null when it does not exist (or is JSON null).</summary>
    public static byte[]? Get(ReadOnlySpan<byte> json, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var raw = Find(json.ToArray(), SplitPath(path), 0);
        return raw is null ? null : ToBytes(raw);
    }

    public static byte[]? Get(string json, string path) => Get(Encoding.UTF8.GetBytes(json), path);

    /// <summary>gjson escapes a literal key for use in a path (dots, wildcards).</summary>
    public static string Escape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder();
        foreach (var c in key)
        {
            if (c is '.' or '*' or '?' or '\\' or '|' or '#' or '@')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    internal static List<(string Text, bool HasWildcard)> SplitPath(string path)
    {
        var parts = new List<(string, bool)>();
        var sb = new StringBuilder();
        var wildcard = false;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\' && i + 1 < path.Length)
            {
                sb.Append('\\').Append(path[++i]);
            }
            else if (c == '.')
            {
                parts.Add((sb.ToString(), wildcard));
                sb.Clear();
                wildcard = false;
            }
            else
            {
                wildcard |= c is '*' or '?';
                sb.Append(c);
            }
        }

        parts.Add((sb.ToString(), wildcard));
        return parts;
    }

    // Returns the raw JSON slice of the match, or null.
    private static byte[]? Find(byte[] json, List<(string Text, bool HasWildcard)> path, int index)
    {
        if (index == path.Count)
        {
            return json;
        }

        var (component, wildcard) = path[index];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    var value = Slice(json, ref reader);
                    if (Matches(component, wildcard, name))
                    {
                        var found = Find(value, path, index + 1);
                        if (found is not null || !wildcard)
                        {
                            return found;
                        }
                    }
                }

                return null;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                var elements = new List<byte[]>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    elements.Add(Slice(json, ref reader));
                }

                if (component == "#")
                {
                    if (index + 1 == path.Count)
                    {
                        return Encoding.UTF8.GetBytes(elements.Count.ToString(CultureInfo.InvariantCulture));
                    }

                    var collected = elements.Select(e => Find(e, path, index + 1)).OfType<byte[]>().ToList();
                    return Encoding.UTF8.GetBytes("[" + string.Join(",", collected.Select(Encoding.UTF8.GetString)) + "]");
                }

                return int.TryParse(component, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position < elements.Count
                    ? Find(elements[position], path, index + 1)
                    : null;
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Slice(byte[] json, ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return json[start..end];
    }

    private static bool Matches(string pattern, bool wildcard, string name)
    {
        if (!wildcard)
        {
            return Unescape(pattern) == name;
        }

        // gjson wildcard: * any run, ? one character; \ escapes.
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            regex.Append(c switch
            {
                '\\' when i + 1 < pattern.Length => System.Text.RegularExpressions.Regex.Escape(pattern[++i].ToString()),
                '*' => ".*",
                '?' => ".",
                _ => System.Text.RegularExpressions.Regex.Escape(c.ToString()),
            });
        }

        return System.Text.RegularExpressions.Regex.IsMatch(name, regex.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.Singleline);
    }

    private static string Unescape(string component)
    {
        if (!component.Contains('\\', StringComparison.Ordinal))
        {
            return component;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < component.Length; i++)
        {
            if (component[i] == '\\' && i + 1 < component.Length)
            {
                i++;
            }

            sb.Append(component[i]);
        }

        return sb.ToString();
    }

    private static byte[]? ToBytes(byte[] raw)
    {
        var reader = new Utf8JsonReader(raw);
        if (!reader.Read())
        {
            return null;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return Encoding.UTF8.GetBytes(reader.GetString()!);
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True or JsonTokenType.False:
                return raw;
            case JsonTokenType.Number:
                var text = Encoding.UTF8.GetString(raw);
                var integer = text.TrimStart('-').All(char.IsAsciiDigit);
                return integer ? raw : Encoding.UTF8.GetBytes(Templating.GoFloat.FormatFixed(reader.GetDouble()));
            default:
                return raw;
        }
    }
}
