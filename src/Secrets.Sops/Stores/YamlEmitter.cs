using System.Text;
using Secrets.Sops.Crypto;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>
/// Writes tree documents byte for byte like go-yaml v3's encoder as sops drives it (sops.md §6.1, §11): the layout rules
/// of emitterc.go (indent rounding, "- " items whose mapping continues on the dash line, literal blocks indented one step
/// past their key, foot comments followed by a blank line at the same indent, folding at column 80) over the tree model
/// directly. YamlDotNet's emitter has other rules (e.g. <c>-   key:</c>), so it is only used for parsing.
/// </summary>
internal sealed class YamlEmitter
{
    private const int BestWidth = 80;
    private readonly Utf8Output _out;
    private readonly int _best;
    private int _column;
    private bool _whitespace = true;
    private bool _indention = true;
    private int _footIndent = -1;

    private YamlEmitter(int best, Stream? sink = null)
    {
        _best = best;
        _out = new Utf8Output(sink);
    }

    public static byte[] Write(IReadOnlyList<TreeBranch> documents, int indent)
    {
        var emitter = new YamlEmitter(indent);
        emitter.Documents(documents);
        return emitter._out.ToArray();
    }

    /// <summary>Writes the documents to <paramref name="sink"/> in 64 KiB pieces as they are laid out.</summary>
    public static void Write(IReadOnlyList<TreeBranch> documents, int indent, Stream sink)
    {
        var emitter = new YamlEmitter(indent, sink);
        emitter.Documents(documents);
        emitter._out.Finish();
    }

    private void Documents(IReadOnlyList<TreeBranch> documents)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            if (i > 0)
            {
                WriteIndent(0);
                Indicator("---", needWhitespace: true, isWhitespace: false, isIndention: false);
            }

            Mapping(documents[i], parentIndent: -1, inSequenceItem: false);

            // emitterc.go emit_document_end: foot separation is reset before the final indent.
            _footIndent = -1;
            WriteIndent(0);
        }
    }

    /// <summary>A lone value as <c>yaml.Marshal</c> writes it (<c>--extract</c> of a non-string).</summary>
    public static byte[] WriteValue(object? value, int indent)
    {
        var emitter = new YamlEmitter(indent);
        switch (value)
        {
            case TreeBranch branch:
                emitter.Mapping(branch, parentIndent: -1, inSequenceItem: false);
                break;
            case TreeSequence sequence:
                emitter.Sequence(sequence, indent: 0);
                break;
            default:
                emitter.Scalar(value, indent: 0, simpleKey: false);
                break;
        }

        emitter.WriteIndent(0);
        return emitter._out.ToArray();
    }

    /// <summary>emitterc.go increase_indent: the first level is 0, then the next multiple of the indent step.</summary>
    private int Deeper(int indent) => indent < 0 ? 0 : _best * ((indent + _best) / _best);

    private void Mapping(TreeBranch branch, int parentIndent, bool inSequenceItem)
    {
        var entries = branch.Count(item => item.Key is string);
        if (entries == 0)
        {
            Indicator("{}", needWhitespace: true, isWhitespace: false, isIndention: false);
            return;
        }

        // A mapping that is a sequence item continues after "- ": its keys sit two columns past the dash.
        var indent = inSequenceItem ? parentIndent + 2 : Deeper(parentIndent);
        var comments = new List<string>();
        foreach (var item in branch)
        {
            if (item.Key is Tree.Comment comment)
            {
                comments.Add(comment.Text);
                continue;
            }

            // sops attaches the comments before a key as the key's head comment.
            CommentLines(comments, indent);
            comments.Clear();
            WriteIndent(indent);
            Scalar((string)item.Key, Deeper(indent), simpleKey: true);
            Indicator(":", needWhitespace: false, isWhitespace: false, isIndention: false);
            Value(item.Value, indent);
        }

        // Trailing comments become the mapping's foot comment: at the key indent, then a blank line before the next
        // line written at that same indent (emitterc.go foot_indent).
        if (comments.Count > 0)
        {
            CommentLines(comments, indent);
            _footIndent = indent;
        }
    }

    /// <summary>A block sequence whose dashes sit at <paramref name="indent"/> (go-yaml v3 indents them under the key).</summary>
    private void Sequence(TreeSequence sequence, int indent)
    {
        if (!sequence.Any(element => element is not Tree.Comment))
        {
            Indicator("[]", needWhitespace: true, isWhitespace: false, isIndention: false);
            return;
        }

        var comments = new List<string>();
        foreach (var element in sequence)
        {
            if (element is Tree.Comment comment)
            {
                comments.Add(comment.Text);
                continue;
            }

            CommentLines(comments, indent);
            comments.Clear();
            WriteIndent(indent);
            Indicator("-", needWhitespace: true, isWhitespace: false, isIndention: true);
            switch (element)
            {
                case TreeBranch branch:
                    Mapping(branch, indent, inSequenceItem: true);
                    break;
                case TreeSequence inner:
                    Sequence(inner, indent + 2);
                    break;
                default:
                    Scalar(element, indent + 2, simpleKey: false);
                    break;
            }
        }

        if (comments.Count > 0)
        {
            CommentLines(comments, indent);
            _footIndent = indent;
        }
    }

    /// <summary>The value after <c>key:</c>; <paramref name="keyIndent"/> is the column of the key.</summary>
    private void Value(object? value, int keyIndent)
    {
        switch (value)
        {
            case TreeBranch branch:
                Mapping(branch, keyIndent, inSequenceItem: false);
                break;
            case TreeSequence sequence:
                Sequence(sequence, Deeper(keyIndent));
                break;
            default:
                Scalar(value, Deeper(keyIndent), simpleKey: false);
                break;
        }
    }

    private void Scalar(object? value, int indent, bool simpleKey)
    {
        switch (value)
        {
            case string text:
                StringScalar(text, indent, simpleKey);
                return;
            case EncText enc:
                // Canonical ENC[…] text, always written plain (YamlScalarStyle.IsEncValue): copied as it was read.
                EncScalar(enc.Utf8);
                return;
            case PendingEnc pending:
                EncScalar(pending.Utf8);
                return;
            case RawString raw:
                // go-yaml writes a string that is not valid UTF-8 as !!binary, like a []byte.
                Indicator("!!binary", needWhitespace: true, isWhitespace: false, isIndention: false);
                Plain(Convert.ToBase64String(raw.Bytes), indent, allowBreaks: false);
                return;
            case byte[] bytes:
                Indicator("!!binary", needWhitespace: true, isWhitespace: false, isIndention: false);
                Plain(Convert.ToBase64String(bytes), indent, allowBreaks: false);
                return;
            default:
                Plain(YamlScalars.Format(value), indent, allowBreaks: !simpleKey);
                return;
        }
    }

    /// <summary>Canonical ENC[…] text as UTF-8, which go-yaml writes plain (YamlScalarStyle.IsEncValue).</summary>
    private void EncScalar(ReadOnlySpan<byte> text)
    {
        if (!_whitespace)
        {
            Put(' ');
        }

        _out.PutUtf8(text);
        _column += text.Length;
        _whitespace = false;
        _indention = false;
    }

    private void StringScalar(string text, int indent, bool simpleKey)
    {
        switch (YamlScalarStyle.IsEncValue(text) ? ScalarKind.Plain : YamlScalarStyle.Choose(text, simpleKey))
        {
            case ScalarKind.Plain:
                Plain(text, indent, allowBreaks: !simpleKey);
                break;
            case ScalarKind.SingleQuoted:
                SingleQuoted(text, indent, allowBreaks: !simpleKey);
                break;
            case ScalarKind.Literal:
                Literal(text, indent);
                break;
            default:
                DoubleQuoted(text, indent, allowBreaks: !simpleKey);
                break;
        }
    }

    /// <summary>emitterc.go write_plain_scalar: a space past column 80 that is not followed by another becomes a line break.</summary>
    private void Plain(string text, int indent, bool allowBreaks)
    {
        if (!_whitespace && text.Length > 0)
        {
            Put(' ');
        }

        // The runs between spaces are copied whole; only a space can become a line break.
        var spaces = false;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != ' ')
            {
                var end = text.IndexOf(' ', i);
                end = end < 0 ? text.Length : end;
                PutText(text.AsSpan(i, end - i));
                i = end;
                spaces = false;
                continue;
            }

            if (allowBreaks && !spaces && _column > BestWidth && (i + 1 >= text.Length || text[i + 1] != ' '))
            {
                WriteIndent(indent);
            }
            else
            {
                Put(' ');
            }

            spaces = true;
            i++;
        }

        _whitespace = false;
        _indention = false;
    }

    private void SingleQuoted(string text, int indent, bool allowBreaks)
    {
        Indicator("'", needWhitespace: true, isWhitespace: false, isIndention: false);
        var spaces = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i != 0 && i != text.Length - 1 && text[i + 1] != ' ')
                {
                    WriteIndent(indent);
                }
                else
                {
                    Put(' ');
                }

                spaces = true;
                continue;
            }

            if (text[i] == '\'')
            {
                Put('\'');
            }

            Put(text[i]);
            spaces = false;
        }

        Indicator("'", needWhitespace: false, isWhitespace: false, isIndention: false);
    }

    private void DoubleQuoted(string text, int indent, bool allowBreaks)
    {
        Indicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false);
        var spaces = false;
        for (var i = 0; i < text.Length; i++)
        {
            var rune = Rune.GetRuneAt(text, i);
            if (YamlScalarStyle.Escape(rune) is { } escape)
            {
                PutText(escape);
                spaces = false;
            }
            else if (rune.Value == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i != 0 && i != text.Length - 1)
                {
                    WriteIndent(indent);
                    if (text[i + 1] == ' ')
                    {
                        Put('\\');
                    }
                }
                else
                {
                    Put(' ');
                }

                spaces = true;
            }
            else
            {
                PutText(rune.ToString());
                spaces = false;
            }

            i += rune.Utf16SequenceLength - 1;
        }

        Indicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false);
    }

    /// <summary>emitterc.go write_literal_scalar with its block hints: indent digit for a leading space/break, chomping.</summary>
    private void Literal(string text, int indent)
    {
        var hints = new StringBuilder("|");
        if (text.Length > 0 && (text[0] == ' ' || YamlScalarStyle.IsBreak(text[0])))
        {
            hints.Append(_best);
        }

        hints.Append(YamlScalarStyle.Chomping(text));
        Indicator(hints.ToString(), needWhitespace: true, isWhitespace: false, isIndention: false);
        PutBreak();
        _indention = true;
        _whitespace = true;
        var breaks = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (YamlScalarStyle.IsBreak(c))
            {
                // go-yaml normalises \r\n and lone breaks to "\n" in block scalars (write_break).
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                PutBreak();
                _indention = true;
                breaks = true;
                continue;
            }

            if (breaks)
            {
                WriteIndent(indent);
                breaks = false;
            }

            Put(c);
            _indention = false;
        }
    }

    private void CommentLines(List<string> comments, int indent)
    {
        foreach (var comment in comments)
        {
            WriteIndent(indent);
            PutText("#" + comment);
            PutBreak();
            _whitespace = true;
            _indention = true;
        }
    }

    /// <summary>emitterc.go write_indent: a line break unless already at the start of a fresh line, then spaces.</summary>
    private void WriteIndent(int indent)
    {
        indent = Math.Max(indent, 0);
        if (!_indention || _column > indent || (_column == indent && !_whitespace))
        {
            PutBreak();
        }

        if (_footIndent == indent)
        {
            PutBreak();
        }

        while (_column < indent)
        {
            Put(' ');
        }

        _whitespace = true;
        _indention = true;
        _footIndent = -1;
    }

    private void Indicator(string indicator, bool needWhitespace, bool isWhitespace, bool isIndention)
    {
        if (needWhitespace && !_whitespace)
        {
            Put(' ');
        }

        PutText(indicator);
        _whitespace = isWhitespace;
        _indention = _indention && isIndention;
    }

    private void Put(char c)
    {
        _out.Put(c);
        _column++;
    }

    private void PutText(ReadOnlySpan<char> text)
    {
        _out.PutText(text);
        _column += text.Length;
    }

    private void PutBreak()
    {
        _out.Put('\n');
        _column = 0;
    }
}
