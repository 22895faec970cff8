using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// encoding/json as ESO's templates see it: <c>toJson</c> = json.Marshal (sorted map keys, HTML-escaped <c>&lt;&gt;&amp;</c>,
/// Go float format) and <c>fromJson</c> = json.Unmarshal into interface{} (every number a float64).
/// </summary>
internal static class GoJson
{
    public static string Marshal(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsFinite(d) ? GoFloat.FormatJson(d) : throw new TemplateFunctionException("json: unsupported value: " + GoFloat.FormatGeneral(d)));
                break;
            case IReadOnlyDictionary<string, string> map:
                WriteObject(sb, map.Select(kv => KeyValuePair.Create(kv.Key, (object?)kv.Value)));
                break;
            case Dictionary<string, object?> map:
                WriteObject(sb, map);
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, list[i]);
                }

                sb.Append(']');
                break;
            default:
                throw new TemplateFunctionException("json: unsupported type " + GoValues.TypeName(value));
        }
    }

    private static void WriteObject(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> entries)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, item) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            WriteString(sb, key);
            sb.Append(':');
            Write(sb, item);
        }

        sb.Append('}');
    }

    /// <summary>Go's encodeState.string with escapeHTML: \", \\, \n, \r, \t, other controls and &lt;&gt;&amp; U+2028 U+2029 as \u00XX.</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>json.Unmarshal into interface{}; throws <see cref="JsonException"/> on malformed input.</summary>
    public static object? Unmarshal(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 10000 });
        return Convert(document.RootElement);
    }

    public static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (map, p) =>
        {
            map[p.Name] = Convert(p.Value);
            return map;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
