using System.Text;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>
/// INI as go-ini reads and writes it for sops (sops.md §6.4): every section is a top-level key holding string values,
/// comments before a section or key belong to that section, metadata in a <c>[sops]</c> section with <c>\n</c>-escaped
/// newlines (3.13.0/3.13.1's <c>"""</c> values are read too), <c>=</c> aligned within a section.
/// </summary>
public sealed class IniStore : ISopsStore
{
    private const string DefaultSection = "DEFAULT";

    public string Name => "ini";

    public List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes)
    {
        var root = new TreeBranch();
        TreeBranch? section = null;
        var comments = new List<string>();
        var lines = Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ';' or '#')
            {
                comments.Add(line[1..].TrimStart());
                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new InvalidFileException($"invalid INI section header at line {index + 1}");
                }

                section = [.. comments.Select(c => new TreeItem(new Comment(c), null))];
                comments.Clear();
                root.Add(line[1..end], section);
                continue;
            }

            var equals = line.IndexOfAny(['=', ':']);
            if (equals <= 0)
            {
                throw new InvalidFileException($"invalid INI line {index + 1}: expected key = value");
            }

            var key = line[..equals].Trim();
            var value = ReadValue(line[(equals + 1)..].Trim(), lines, ref index);
            if (section is null)
            {
                section = [];
                root.Add(DefaultSection, section);
            }

            foreach (var comment in comments)
            {
                section.Add(new TreeItem(new Comment(comment), null));
            }

            comments.Clear();
            section.Add(key, value);
        }

        return [root];
    }

    public SopsFile LoadEncrypted(ReadOnlySpan<byte> bytes)
    {
        var root = LoadPlain(bytes)[0];
        if (root["sops"] is not TreeBranch metadata)
        {
            throw MappingStore.NotEncrypted();
        }

        root.RemoveKey("sops");
        var flat = metadata.Where(i => i.Key is string).Select(i => ((string)i.Key, ((i.Value as string) ?? "").Replace("\\n", "\n", StringComparison.Ordinal)));
        return new SopsFile([root], MetadataCodec.FromBranch(MetadataFlattener.Unflatten(flat)));
    }

    public byte[] EmitPlain(IReadOnlyList<TreeBranch> documents)
    {
        var text = new StringBuilder();
        foreach (var item in documents.SelectMany(d => d))
        {
            if (item.Key is Comment topComment)
            {
                text.Append("; ").Append(topComment.Text).Append('\n');
                continue;
            }

            if (item.Value is not TreeBranch section)
            {
                throw new InvalidFileException($"INI values must be inside a section (key \"{item.Key}\")");
            }

            WriteSection(text, (string)item.Key, section.Select(i => (i.Key, i.Value)).ToList(), escapeNewlines: false);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public byte[] EmitEncrypted(SopsFile file)
    {
        var text = new StringBuilder(Encoding.UTF8.GetString(EmitPlain(file.Documents)));
        var flat = MetadataFlattener.Flatten(MetadataCodec.ToBranch(file.Metadata), "");
        WriteSection(text, "sops", flat.Select(p => ((object)p.Key, (object?)p.Value)).ToList(), escapeNewlines: true);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public byte[] EmitValue(object? value) => Encoding.UTF8.GetBytes(DotenvStore.ValueText(value));

    public bool HasMetadata(IReadOnlyList<TreeBranch> documents) => documents.Any(d => d.Find("sops") is not null);

    private static void WriteSection(StringBuilder text, string name, List<(object Key, object? Value)> items, bool escapeNewlines)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }

        var leading = items.TakeWhile(i => i.Key is Comment).ToList();
        foreach (var (key, _) in leading)
        {
            text.Append("; ").Append(((Comment)key).Text).Append('\n');
        }

        text.Append('[').Append(name).Append("]\n");
        var width = items.Where(i => i.Key is string).Select(i => ((string)i.Key).Length).DefaultIfEmpty(0).Max();
        foreach (var (key, value) in items.Skip(leading.Count))
        {
            if (key is Comment comment)
            {
                text.Append("; ").Append(comment.Text).Append('\n');
                continue;
            }

            if (value is TreeBranch or TreeSequence)
            {
                throw new InvalidFileException($"INI values cannot be nested (key \"{key}\" in section \"{name}\")");
            }

            var raw = DotenvStore.ValueText(value);
            text.Append(((string)key).PadRight(width)).Append(" = ").Append(Quote(escapeNewlines ? raw.Replace("\n", "\\n", StringComparison.Ordinal) : raw)).Append('\n');
        }
    }

    /// <summary>go-ini's value quoting on write.</summary>
    private static string Quote(string value) =>
        value.Contains('\n', StringComparison.Ordinal) || value.Contains('`', StringComparison.Ordinal) ? "\"\"\"" + value + "\"\"\""
        : value.Contains('#', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal) ? "`" + value + "`"
        : value.Trim().Length != value.Length ? "\"" + value + "\""
        : value;

    /// <summary>go-ini's value reading: <c>"""</c> multi-line, backquoted, double-quoted, else up to an inline comment.</summary>
    private static string ReadValue(string value, string[] lines, ref int index)
    {
        if (value.StartsWith("\"\"\"", StringComparison.Ordinal))
        {
            var rest = value[3..];
            var close = rest.IndexOf("\"\"\"", StringComparison.Ordinal);
            if (close >= 0)
            {
                return rest[..close];
            }

            var text = new StringBuilder(rest);
            while (++index < lines.Length)
            {
                var line = lines[index];
                close = line.IndexOf("\"\"\"", StringComparison.Ordinal);
                text.Append('\n').Append(close >= 0 ? line[..close] : line);
                if (close >= 0)
                {
                    return text.ToString();
                }
            }

            throw new InvalidFileException("unterminated \"\"\" value in INI input");
        }

        if (value.Length >= 2 && value[0] == '`' && value[^1] == '`')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1];
        }

        var comment = value.IndexOfAny(['#', ';']);
        return comment > 0 && char.IsWhiteSpace(value[comment - 1]) ? value[..comment].TrimEnd() : value;
    }
}
