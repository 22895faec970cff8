using Secrets.Sops.Tree;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlComment = YamlDotNet.Core.Events.Comment;

namespace Secrets.Sops.Stores;

/// <summary>
/// Writes tree documents through YamlDotNet's emitter in go-yaml v3's style as sops uses it (sops.md §6.1): block
/// style, sequences indented under their key, multi-line strings as literal blocks, strings that would read back as
/// another type double-quoted, <c>---</c> between documents only.
/// </summary>
internal static class YamlWriter
{
    public static string Write(IReadOnlyList<TreeBranch> documents, int indent)
    {
        using var writer = new StringWriter();
        var settings = new EmitterSettings(bestIndent: indent, bestWidth: 80, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: true);
        var emitter = new Emitter(writer, settings);
        emitter.Emit(new StreamStart());
        for (var i = 0; i < documents.Count; i++)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: i == 0));
            WriteValue(emitter, documents[i]);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    public static void WriteValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case TreeBranch branch:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, branch.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var item in branch)
                {
                    if (item.Key is Tree.Comment comment)
                    {
                        emitter.Emit(new YamlComment(comment.Text, isInline: false));
                        continue;
                    }

                    Scalar(emitter, (string)item.Key);
                    WriteValue(emitter, item.Value);
                }

                emitter.Emit(new MappingEnd());
                return;
            case TreeSequence sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, sequence.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var element in sequence)
                {
                    if (element is Tree.Comment comment)
                    {
                        emitter.Emit(new YamlComment(comment.Text, isInline: false));
                        continue;
                    }

                    WriteValue(emitter, element);
                }

                emitter.Emit(new SequenceEnd());
                return;
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                return;
            case string s:
                Scalar(emitter, s);
                return;
            case bool b:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, b ? "true" : "false", ScalarStyle.Plain, true, false));
                return;
            case double d:
                var text = double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : double.IsNaN(d) ? ".nan" : GoFormat.FloatGeneral(d);
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));
                return;
            case DateTimeOffset t:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, GoFormat.Time(t), ScalarStyle.Plain, true, false));
                return;
            case byte[] bytes:
                emitter.Emit(new Scalar(AnchorName.Empty, new TagName("tag:yaml.org,2002:binary"), Convert.ToBase64String(bytes), ScalarStyle.Plain, false, false));
                return;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, Crypto.PlainValue.ToText(value), ScalarStyle.Plain, true, false));
                return;
        }
    }

    private static void Scalar(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : YamlScalars.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }
}
