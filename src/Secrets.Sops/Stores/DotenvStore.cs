using System.Text;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>
/// dotenv (sops.md §6.3): <c>KEY=VALUE</c> split at the first <c>=</c> without trimming or quotes, <c>\n</c> escapes,
/// <c>#</c> comments, metadata flattened into <c>sops_</c> keys after the data (sorted, as sops ≥ 3.8 writes them).
/// </summary>
public sealed class DotenvStore : ISopsStore
{
    private const string Prefix = "sops_";

    public string Name => "dotenv";

    public List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes)
    {
        var branch = new TreeBranch();
        var lineNumber = 0;
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                branch.Add(new TreeItem(new Comment(line[1..]), null));
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new InvalidFileException($"invalid dotenv input line {lineNumber}: expected KEY=VALUE or a # comment");
            }

            branch.Add(line[..equals], line[(equals + 1)..].Replace("\\n", "\n", StringComparison.Ordinal));
        }

        return [branch];
    }

    public SopsFile LoadEncrypted(ReadOnlySpan<byte> bytes)
    {
        var branch = LoadPlain(bytes)[0];
        var metadata = branch.Where(i => i.Key is string k && k.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        if (metadata.Count == 0)
        {
            throw MappingStore.NotEncrypted();
        }

        var data = new TreeBranch(branch.Except(metadata));
        var flat = metadata.Select(i => (((string)i.Key)[Prefix.Length..], i.Value as string ?? ""));
        return new SopsFile([data], MetadataCodec.FromBranch(MetadataFlattener.Unflatten(flat)));
    }

    public byte[] EmitPlain(IReadOnlyList<TreeBranch> documents)
    {
        var text = new StringBuilder();
        foreach (var item in documents.SelectMany(d => d))
        {
            if (item.Key is Comment comment)
            {
                text.Append('#').Append(comment.Text).Append('\n');
                continue;
            }

            if (item.Value is TreeBranch or TreeSequence)
            {
                throw new InvalidFileException($"cannot use complex value in dotenv file (key \"{item.Key}\")");
            }

            text.Append((string)item.Key).Append('=').Append(ValueText(item.Value).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public byte[] EmitEncrypted(SopsFile file)
    {
        var data = EmitPlain(file.Documents);
        var flat = MetadataFlattener.Flatten(MetadataCodec.ToBranch(file.Metadata), Prefix).OrderBy(p => p.Key, StringComparer.Ordinal);
        var text = new StringBuilder(Encoding.UTF8.GetString(data));
        foreach (var (key, value) in flat)
        {
            text.Append(key).Append('=').Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public byte[] EmitValue(object? value) => Encoding.UTF8.GetBytes(ValueText(value));

    public bool HasMetadata(IReadOnlyList<TreeBranch> documents) =>
        documents.SelectMany(d => d).Any(i => i.Key is string k && k.StartsWith(Prefix, StringComparison.Ordinal));

    /// <summary>sops' ValToString: floats keep a decimal, bools lowercase, times RFC3339.</summary>
    public static string ValueText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d == Math.Floor(d) && !double.IsInfinity(d) && Math.Abs(d) < 1e21 ? GoFormat.FloatFixed(d) + ".0" : GoFormat.FloatGeneral(d),
        DateTimeOffset t => GoFormat.Time(t),
        _ => Crypto.PlainValue.ToText(value),
    };
}
