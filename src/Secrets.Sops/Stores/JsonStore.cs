using System.Globalization;
using System.Text;
using System.Text.Json;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>
/// JSON as sops 3.13.2 reads and writes it (sops.md §6.2): key order kept, integers that fit int64 are ints and other
/// numbers floats, output like Go's json.Marshal + json.Indent (TAB by default, <c>": "</c>, <c>\u003c</c> escapes).
/// </summary>
public sealed class JsonStore(int indent = -1) : MappingStore
{
    public override string Name => "json";

    public override List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidFileException("JSON input must be an object at the top level");
            }

            var branch = ReadObject(ref reader);
            if (reader.Read())
            {
                throw new InvalidFileException("JSON input has data after the top-level object");
            }

            return [branch];
        }
        catch (JsonException ex)
        {
            throw new InvalidFileException($"invalid JSON: {ex.Message}", ex);
        }
    }

    public override byte[] EmitPlain(IReadOnlyList<TreeBranch> documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            WriteValue(text, document, 0);
            text.Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public override byte[] EmitValue(object? value)
    {
        var text = new StringBuilder();
        WriteValue(text, value, 0);
        text.Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static TreeBranch ReadObject(ref Utf8JsonReader reader)
    {
        var branch = new TreeBranch();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (!seen.Add(key))
            {
                throw new InvalidFileException($"JSON object has the key \"{key}\" twice");
            }

            reader.Read();
            branch.Add(key, ReadValue(ref reader));
        }

        return branch;
    }

    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                var sequence = new TreeSequence();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    sequence.Add(ReadValue(ref reader));
                }

                return sequence;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                // sops 3.13.2 normalizeJSONNumber: int64 when it parses as one, else float64 (sops.md §1.1).
                return reader.TryGetInt64(out var integer) ? integer : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new InvalidFileException($"unexpected JSON token {reader.TokenType}");
        }
    }

    private void WriteValue(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case TreeBranch branch:
                var items = branch.Where(i => i.Key is string).ToList();
                if (items.Count == 0)
                {
                    text.Append("{}");
                    return;
                }

                text.Append('{');
                for (var i = 0; i < items.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    NewLine(text, depth + 1);
                    WriteString(text, (string)items[i].Key);
                    text.Append(": ");
                    WriteValue(text, items[i].Value, depth + 1);
                }

                NewLine(text, depth);
                text.Append('}');
                return;
            case TreeSequence sequence:
                var elements = sequence.Where(e => e is not Comment).ToList();
                if (elements.Count == 0)
                {
                    text.Append("[]");
                    return;
                }

                text.Append('[');
                for (var i = 0; i < elements.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    NewLine(text, depth + 1);
                    WriteValue(text, elements[i], depth + 1);
                }

                NewLine(text, depth);
                text.Append(']');
                return;
            case null:
                text.Append("null");
                return;
            case string s:
                WriteString(text, s);
                return;
            case bool b:
                text.Append(b ? "true" : "false");
                return;
            case long l:
                text.Append(l.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                text.Append(GoFormat.FloatJson(d));
                return;
            case DateTimeOffset t:
                WriteString(text, GoFormat.Time(t));
                return;
            case byte[] bytes:
                WriteString(text, Convert.ToBase64String(bytes));
                return;
            default:
                WriteString(text, Crypto.PlainValue.ToText(value));
                return;
        }
    }

    private void NewLine(StringBuilder text, int depth)
    {
        text.Append('\n');
        if (indent < 0)
        {
            text.Append('\t', depth);
        }
        else
        {
            text.Append(' ', depth * indent);
        }
    }

    /// <summary>Go's encoding/json string escaping (HTML-safe by default).</summary>
    internal static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
