using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>
/// A reader for the block YAML that sops files are made of, straight from the UTF-8 bytes: block mappings and
/// sequences, plain, quoted and literal scalars on one line, comments, <c>---</c> between documents. It gives exactly
/// the tree <see cref="YamlReader"/> gives (same comment placement rules, same scalar resolution), without YamlDotNet's
/// token objects or a UTF-16 copy of the file: parsing was ~40% of decrypting a big file (docs/sops.md "Benchmark").
/// Anything outside that subset, or that it is not sure about (anchors, tags, flow collections, folded or multi-line
/// scalars, tabs, CR, document end markers, duplicate keys, …), makes <see cref="TryRead"/> return null, and the caller
/// uses <see cref="YamlReader"/>: correctness never depends on this path, and YamlReader reports the errors.
/// </summary>
internal ref struct Utf8YamlReader
{
    private const int MaxDepth = 256;

    private readonly ReadOnlySpan<byte> _text;
    private readonly List<(string Text, int Column)> _pending;
    private readonly byte[]? _source;
    private int _pos;

    private Utf8YamlReader(ReadOnlySpan<byte> text, byte[]? source)
    {
        _text = text;
        _pending = [];
        _source = source;
        _pos = 0;
    }

    /// <summary>
    /// The documents, or null when the input is outside the subset this reader is sure about. With
    /// <paramref name="source"/> (an encrypted file being loaded; the array <paramref name="bytes"/> spans whole)
    /// canonical <c>ENC[…]</c> plain scalars become <see cref="EncText"/> slices of it instead of strings.
    /// </summary>
    public static List<TreeBranch>? TryRead(ReadOnlySpan<byte> bytes, byte[]? source = null)
    {
        if (!Plain(bytes))
        {
            return null;
        }

        try
        {
            return new Utf8YamlReader(bytes, source).ReadStream();
        }
        catch (UnsupportedException)
        {
            return null;
        }
    }

    /// <summary>Valid UTF-8 without the characters the subset leaves to YamlDotNet (tabs, CR, other controls, …).</summary>
    private static bool Plain(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        // Stops at every byte other than printable ASCII: a range compare, which is vectorised on every x64 (a
        // SearchValues set of these bytes needs SSSE3, which the AOT image's baseline lacks, and was ~9% of a big
        // decrypt). Lines are short, so the stop at each LF costs little.
        var rest = bytes;
        while (true)
        {
            var at = rest.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
            if (at < 0)
            {
                return true;
            }

            var b = rest[at];
            if (b == '\n' || (b >= 0x80 && b is not 0xC2 and not 0xE2 and not 0xEF))
            {
                rest = rest[(at + 1)..];
                continue;
            }

            // Controls other than LF, DEL, and lead bytes of the few non-ASCII characters YAML treats specially (C1
            // controls incl. NEL, LS/PS, BOM, U+FFFE/U+FFFF).
            if (b < 0x80 || at + 1 >= rest.Length)
            {
                return false;
            }

            var next = rest[at + 1];
            var third = at + 2 < rest.Length ? rest[at + 2] : (byte)0;
            var special = b switch
            {
                0xC2 => next < 0xA0, // U+0080..U+009F
                0xE2 => next == 0x80 && third is 0xA8 or 0xA9, // U+2028, U+2029
                _ => (next == 0xBB && third == 0xBF) || (next == 0xBF && third is 0xBE or 0xBF), // U+FEFF, U+FFFE, U+FFFF
            };
            if (special)
            {
                return false;
            }

            rest = rest[(at + 1)..];
        }
    }

    private List<TreeBranch> ReadStream()
    {
        var documents = new List<TreeBranch>();
        SkipToContent();
        if (AtDocumentStart())
        {
            NextLine();
        }

        while (true)
        {
            var indent = SkipToContent();
            if (AtEnd || AtDocumentStart() || indent != 0)
            {
                // An empty document, or a top level that is not a mapping at column 0.
                throw new UnsupportedException();
            }

            var root = ReadMapping(0, 0);
            TakePending(0, comment => root.Add(new TreeItem(comment, null)));
            documents.Add(root);
            if (AtEnd)
            {
                return documents;
            }

            NextLine(); // the "---" line: ReadMapping only stops at the end, "---" or a shallower line (none at column 0)
        }
    }

    private readonly bool AtEnd => _pos >= _text.Length;

    /// <summary>A "---" line on its own; any other line starting with "---" or "..." is left to YamlDotNet.</summary>
    private readonly bool AtDocumentStart()
    {
        var line = Line(_pos);
        if (line.StartsWith("---"u8) || line.StartsWith("..."u8))
        {
            return line.Length == 3 && line[0] == '-' ? true : throw new UnsupportedException();
        }

        return false;
    }

    /// <summary>
    /// A block mapping whose keys sit at <paramref name="column"/>; <see cref="_pos"/> is at its first key (at the start
    /// of a line after the indent, or after "- " of a sequence item). Ends before the first line indented less, a
    /// "---" line or the end; comments pending there stay queued for the parent when they are indented less than the
    /// keys, as in <see cref="YamlReader"/>.
    /// </summary>
    private TreeBranch ReadMapping(int column, int depth)
    {
        CheckDepth(depth);
        var branch = new TreeBranch();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            TakePending(0, comment => branch.Add(new TreeItem(comment, null)));
            var key = ReadKey();
            if (!keys.Add(key))
            {
                throw new UnsupportedException();
            }

            var (value, inline) = ReadValue(column, depth + 1, inSequence: false);
            branch.Add(key, value);
            if (inline is not null)
            {
                branch.Add(new TreeItem(inline, null));
            }

            if (!NextEntry(column))
            {
                break;
            }
        }

        TakePending(column, comment => branch.Add(new TreeItem(comment, null)));
        return branch;
    }

    /// <summary>A block sequence whose dashes sit at <paramref name="column"/>; <see cref="_pos"/> is at the first dash.</summary>
    private TreeSequence ReadSequence(int column, int depth)
    {
        CheckDepth(depth);
        var sequence = new TreeSequence();
        var itemColumn = -1;
        while (true)
        {
            TakePending(0, comment => sequence.Add(comment));

            // "- " then the item on the same line; a bare "-" (item on the next lines, or null) is left to YamlDotNet.
            if (!IsDash(_pos))
            {
                throw new UnsupportedException();
            }

            _pos++;
            SkipSpaces();
            if (AtEnd || Current is (byte)'\n' or (byte)'#')
            {
                throw new UnsupportedException();
            }

            var at = ColumnOf(_pos);
            itemColumn = itemColumn < 0 ? at : itemColumn;
            if (StartsKey())
            {
                sequence.Add(ReadMapping(at, depth + 1));
            }
            else
            {
                var (value, inline) = ReadValue(column, depth + 1, inSequence: true);
                sequence.Add(value);
                if (inline is not null)
                {
                    sequence.Add(inline);
                }
            }

            if (!NextEntry(column))
            {
                break;
            }
        }

        TakePending(itemColumn, comment => sequence.Add(comment));
        return sequence;
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new UnsupportedException();
        }
    }

    /// <summary>
    /// After an entry of a collection at <paramref name="column"/>: false when the collection ends (a line indented
    /// less, "---" or the end), else <see cref="_pos"/> moves to the next entry on its line.
    /// </summary>
    private bool NextEntry(int column)
    {
        var indent = SkipToContent();
        if (AtEnd || indent < column || (indent == 0 && AtDocumentStart()))
        {
            return false;
        }

        if (indent > column)
        {
            throw new UnsupportedException(); // a multi-line scalar or broken YAML
        }

        _pos += indent;
        return true;
    }

    /// <summary>
    /// The value after "key:" or "- " (at <see cref="_pos"/>), and a comment on the same line after a scalar.
    /// <paramref name="owner"/> is the column of the key or dash: a nested collection must be indented more.
    /// </summary>
    private (object? Value, Comment? Inline) ReadValue(int owner, int depth, bool inSequence)
    {
        SkipSpaces();
        if (AtEnd || Current is (byte)'\n' or (byte)'#')
        {
            if (!inSequence && !AtEnd && Current == '#')
            {
                // "key: # comment": the comment goes to the pending queue, as YamlReader collects it before the value.
                _pending.Add((CommentText(), ColumnOf(_pos)));
            }

            NextLine();
            var indent = SkipToContent();
            if (AtEnd || indent <= owner)
            {
                if (indent == owner && !AtEnd && IsDash(_pos + indent))
                {
                    throw new UnsupportedException(); // a sequence at the key's own indent
                }

                return (null, null);
            }

            _pos += indent;
            return IsDash(_pos) ? (ReadSequence(indent, depth), null) : (ReadMapping(indent, depth), null);
        }

        object? value;
        switch (Current)
        {
            case (byte)'"':
                value = ReadDoubleQuoted();
                break;
            case (byte)'\'':
                value = ReadSingleQuoted();
                break;
            case (byte)'|':
                // In a sequence the emitter indents the text to the item's column; deeper rules are left to YamlDotNet.
                return (ReadLiteral(inSequence ? ColumnOf(_pos) - 1 : owner), null);
            case (byte)'{' or (byte)'[':
                value = ReadEmptyFlow();
                if (EndOfScalarLine() is not null || CommentFollows())
                {
                    // YamlDotNet rejects some comments after a flow collection; its answer is the reference.
                    throw new UnsupportedException();
                }

                return (value, null);
            default:
                var start = _pos;
                var plain = ReadPlain();
                value = _source is not null && EncText.IsCanonical(plain) ? new EncText(_source, start, plain.Length) : YamlScalars.Resolve(Encoding.UTF8.GetString(plain));
                break;
        }

        return (value, EndOfScalarLine());
    }

    /// <summary>After a scalar: spaces, then the end of the line or a comment (taken as the inline comment).</summary>
    private Comment? EndOfScalarLine()
    {
        var start = _pos;
        SkipSpaces();
        Comment? comment = null;
        if (!AtEnd && Current == '#')
        {
            if (_pos == start)
            {
                throw new UnsupportedException();
            }

            comment = new Comment(CommentText());
        }
        else if (!AtEnd && Current != '\n')
        {
            throw new UnsupportedException();
        }

        NextLine();
        return comment;
    }

    /// <summary>A mapping key and its ':' (plain or quoted, on one line); <see cref="_pos"/> ends after the ':'.</summary>
    private string ReadKey()
    {
        string key;
        if (Current is (byte)'"' or (byte)'\'')
        {
            key = Current == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
            if (AtEnd || Current != ':')
            {
                throw new UnsupportedException();
            }
        }
        else
        {
            var end = PlainKeyEnd(_pos);
            if (end < 0)
            {
                throw new UnsupportedException();
            }

            key = Encoding.UTF8.GetString(_text[_pos..end]);
            _pos = end;
        }

        _pos++;
        if (!AtEnd && Current is not (byte)' ' and not (byte)'\n')
        {
            throw new UnsupportedException();
        }

        return key;
    }

    /// <summary>True when the item after "- " is a mapping (<c>- key: value</c>).</summary>
    private readonly bool StartsKey()
    {
        if (Current is (byte)'"' or (byte)'\'')
        {
            // A quoted key is followed by ':'; a quoted value by spaces, a comment or the end of the line.
            var quote = Current;
            var line = Line(_pos);
            var at = 1;
            while (at < line.Length)
            {
                if (line[at] == quote)
                {
                    if (quote == '\'' && at + 1 < line.Length && line[at + 1] == '\'')
                    {
                        at += 2;
                        continue;
                    }

                    return at + 1 < line.Length && line[at + 1] == ':';
                }

                at += quote == '"' && line[at] == '\\' ? 2 : 1;
            }

            return false;
        }

        return PlainKeyEnd(_pos) >= 0;
    }

    /// <summary>
    /// The offset of the ':' ending a plain key that starts at <paramref name="start"/>, or -1 when the line is not
    /// "key: …" with a plain key the subset accepts (no indicator first, no " #", no space before the ':').
    /// </summary>
    private readonly int PlainKeyEnd(int start)
    {
        if (!PlainStart(start))
        {
            return -1;
        }

        var line = Line(start);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == ':' && (i + 1 == line.Length || line[i + 1] == ' '))
            {
                return line[i - 1] == ' ' ? -1 : start + i;
            }

            if (c == '#' && line[i - 1] == ' ')
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>A plain scalar on one line, up to a comment or the end of the line, trailing spaces dropped.</summary>
    private ReadOnlySpan<byte> ReadPlain()
    {
        if (!PlainStart(_pos))
        {
            throw new UnsupportedException();
        }

        var line = Line(_pos);
        var length = line.Length;
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '#' && line[i - 1] == ' ')
            {
                length = i;
                break;
            }

            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' '))
            {
                throw new UnsupportedException(); // "a: b: c" is an error in YAML; leave it to YamlDotNet
            }
        }

        var text = line[..length].TrimEnd((byte)' ');
        _pos += text.Length;
        return text;
    }

    /// <summary>'…' on one line; '' is a quote.</summary>
    private string ReadSingleQuoted()
    {
        var line = Line(_pos);
        var builder = new ValueBuilder(stackalloc byte[256]);
        try
        {
            var i = 1;
            while (true)
            {
                var end = line[i..].IndexOf((byte)'\'');
                if (end < 0)
                {
                    throw new UnsupportedException(); // continues on the next line
                }

                builder.Append(line.Slice(i, end));
                i += end + 1;
                if (i < line.Length && line[i] == '\'')
                {
                    builder.Append((byte)'\'');
                    i++;
                    continue;
                }

                _pos += i;
                return builder.ToString();
            }
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>"…" on one line with YAML's escapes.</summary>
    private string ReadDoubleQuoted()
    {
        var line = Line(_pos);
        var builder = new ValueBuilder(stackalloc byte[256]);
        try
        {
            var i = 1;
            while (true)
            {
                var end = line[i..].IndexOfAny((byte)'"', (byte)'\\');
                if (end < 0)
                {
                    throw new UnsupportedException();
                }

                builder.Append(line.Slice(i, end));
                i += end;
                if (line[i] == '"')
                {
                    _pos += i + 1;
                    return builder.ToString();
                }

                i = Escape(line, i + 1, ref builder);
            }
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The escape after '\' at <paramref name="at"/>; returns the offset after it.</summary>
    private static int Escape(ReadOnlySpan<byte> line, int at, ref ValueBuilder builder)
    {
        if (at >= line.Length)
        {
            throw new UnsupportedException(); // an escaped line break
        }

        int digits;
        switch (line[at])
        {
            case (byte)'0': builder.Append(0); return at + 1;
            case (byte)'a': builder.Append(7); return at + 1;
            case (byte)'b': builder.Append(8); return at + 1;
            case (byte)'t': builder.Append(9); return at + 1;
            case (byte)'n': builder.Append(10); return at + 1;
            case (byte)'v': builder.Append(11); return at + 1;
            case (byte)'f': builder.Append(12); return at + 1;
            case (byte)'r': builder.Append(13); return at + 1;
            case (byte)'e': builder.Append(0x1B); return at + 1;
            case (byte)' ' or (byte)'"' or (byte)'/' or (byte)'\\': builder.Append(line[at]); return at + 1;
            case (byte)'N': builder.AppendRune(0x85); return at + 1;
            case (byte)'_': builder.AppendRune(0xA0); return at + 1;
            case (byte)'L': builder.AppendRune(0x2028); return at + 1;
            case (byte)'P': builder.AppendRune(0x2029); return at + 1;
            case (byte)'x': digits = 2; break;
            case (byte)'u': digits = 4; break;
            case (byte)'U': digits = 8; break;
            default: throw new UnsupportedException();
        }

        if (at + 1 + digits > line.Length)
        {
            throw new UnsupportedException();
        }

        var value = 0;
        foreach (var c in line.Slice(at + 1, digits))
        {
            var digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => throw new UnsupportedException(),
            };
            value = (value << 4) | digit;
        }

        if (!Rune.IsValid(value))
        {
            throw new UnsupportedException(); // surrogates and values past U+10FFFF: YamlDotNet's rules
        }

        builder.AppendRune(value);
        return at + 1 + digits;
    }

    /// <summary>"{}" or "[]": the empty collections the emitter writes.</summary>
    private object ReadEmptyFlow()
    {
        var line = Line(_pos);
        if (line.StartsWith("{}"u8) || line.StartsWith("[]"u8))
        {
            _pos += 2;
            return line[0] == '{' ? new TreeBranch() : new TreeSequence();
        }

        throw new UnsupportedException();
    }

    /// <summary>
    /// A literal block scalar (<c>|</c>, <c>|-</c>, <c>|+</c>; no indentation digit, no comment on the header line) whose
    /// content starts on the next line, indented more than <paramref name="owner"/>. <see cref="_pos"/> ends at the
    /// first line after it.
    /// </summary>
    private string ReadLiteral(int owner)
    {
        var header = Line(_pos).TrimEnd((byte)' ');
        var chomping = header.Length == 1 ? (byte)' ' : header[1];
        if (header.Length > 2 || chomping is not (byte)' ' and not (byte)'-' and not (byte)'+')
        {
            throw new UnsupportedException();
        }

        NextLine();
        var first = Line(_pos);
        var indent = first.IndexOfAnyExcept((byte)' ');
        if (indent <= owner)
        {
            // Leading empty lines, or no content: the indentation rules are subtle there, leave it to YamlDotNet.
            throw new UnsupportedException();
        }

        var builder = new ValueBuilder(stackalloc byte[256]);
        try
        {
            var breaks = 0;
            while (!AtEnd)
            {
                var line = Line(_pos);
                var spaces = line.IndexOfAnyExcept((byte)' ');
                if (spaces < 0)
                {
                    if (line.Length > indent || _pos + line.Length >= _text.Length)
                    {
                        throw new UnsupportedException(); // spaces that are content, or no final line break
                    }

                    breaks++;
                    NextLine();
                    continue;
                }

                if (spaces < indent)
                {
                    break;
                }

                if (_pos + line.Length >= _text.Length)
                {
                    throw new UnsupportedException(); // no final line break
                }

                if (builder.Length > 0)
                {
                    builder.Append((byte)'\n');
                }

                for (; breaks > 0; breaks--)
                {
                    builder.Append((byte)'\n');
                }

                builder.Append(line[indent..]);
                NextLine();
            }

            switch (chomping)
            {
                case (byte)' ':
                    builder.Append((byte)'\n');
                    break;
                case (byte)'+':
                    builder.Append((byte)'\n');
                    for (; breaks > 0; breaks--)
                    {
                        builder.Append((byte)'\n');
                    }

                    break;
            }

            return builder.ToString();
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>
    /// From the start of a line: skips blank lines and queues comment lines; stops at the start of the next content
    /// line (or the end) and returns its indent.
    /// </summary>
    private int SkipToContent()
    {
        while (!AtEnd)
        {
            var line = Line(_pos);
            var indent = line.IndexOfAnyExcept((byte)' ');
            if (indent < 0)
            {
                NextLine();
                continue;
            }

            if (line[indent] != '#')
            {
                return indent;
            }

            _pos += indent;
            _pending.Add((CommentText(), indent));
            NextLine();
        }

        return 0;
    }

    /// <summary>True when a comment line comes before the next content line.</summary>
    private readonly bool CommentFollows()
    {
        var at = _pos;
        while (at < _text.Length)
        {
            var line = Line(at);
            var indent = line.IndexOfAnyExcept((byte)' ');
            if (indent >= 0)
            {
                return line[indent] == '#';
            }

            at += line.Length + 1;
        }

        return false;
    }

    /// <summary>The comment at <see cref="_pos"/> ('#') as YamlReader keeps it: everything after the '#'.</summary>
    private readonly string CommentText() => Encoding.UTF8.GetString(Line(_pos)[1..]);

    /// <summary>Moves the leading pending comments indented at least <paramref name="minColumn"/> (YamlReader.TakePending).</summary>
    private readonly void TakePending(int minColumn, Action<Comment> add)
    {
        var taken = 0;
        while (taken < _pending.Count && _pending[taken].Column >= minColumn)
        {
            add(new Comment(_pending[taken].Text));
            taken++;
        }

        _pending.RemoveRange(0, taken);
    }

    private readonly byte Current => _text[_pos];

    private readonly bool IsDash(int at) =>
        at < _text.Length && _text[at] == '-' && (at + 1 == _text.Length || _text[at + 1] is (byte)' ' or (byte)'\n');

    /// <summary>
    /// A plain scalar may start here: no YAML 1.2 c-indicator first, except '-' before a non-space (negative numbers);
    /// '?' and ':' first are valid YAML too but left to YamlDotNet.
    /// </summary>
    private readonly bool PlainStart(int at) =>
        at < _text.Length && (!IsIndicator(_text[at]) || (_text[at] == '-' && at + 1 < _text.Length && _text[at + 1] is not (byte)' ' and not (byte)'\n'));

    private static bool IsIndicator(byte c) =>
        c is (byte)'-' or (byte)'?' or (byte)':' or (byte)',' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'#'
            or (byte)'&' or (byte)'*' or (byte)'!' or (byte)'|' or (byte)'>' or (byte)'\'' or (byte)'"' or (byte)'%' or (byte)'@' or (byte)'`';

    /// <summary>The rest of the line from <paramref name="at"/>, without its line break.</summary>
    private readonly ReadOnlySpan<byte> Line(int at)
    {
        var rest = _text[at..];
        var end = rest.IndexOf((byte)'\n');
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The column of <paramref name="at"/> in characters (as YamlDotNet counts them).</summary>
    private readonly int ColumnOf(int at)
    {
        var lineStart = _text[..at].LastIndexOf((byte)'\n') + 1;
        return Encoding.UTF8.GetCharCount(_text[lineStart..at]);
    }

    private void SkipSpaces()
    {
        while (!AtEnd && Current == ' ')
        {
            _pos++;
        }
    }

    private void NextLine()
    {
        var end = _text[_pos..].IndexOf((byte)'\n');
        _pos = end < 0 ? _text.Length : _pos + end + 1;
    }

    /// <summary>Thrown inside the reader when the input leaves the subset; never escapes <see cref="TryRead"/>.</summary>
    private sealed class UnsupportedException : Exception;

    /// <summary>A scalar's UTF-8 bytes, on the stack while small.</summary>
    private ref struct ValueBuilder(Span<byte> initial)
    {
        private Span<byte> _buffer = initial;
        private byte[]? _rented;

        public int Length { get; private set; }

        public void Append(byte b)
        {
            Grow(1);
            _buffer[Length++] = b;
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            Grow(bytes.Length);
            bytes.CopyTo(_buffer[Length..]);
            Length += bytes.Length;
        }

        public void AppendRune(int value)
        {
            Grow(4);
            Length += new Rune(value).EncodeToUtf8(_buffer[Length..]);
        }

        public readonly override string ToString() => Encoding.UTF8.GetString(_buffer[..Length]);

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
                _rented = null;
            }
        }

        private void Grow(int more)
        {
            if (Length + more <= _buffer.Length)
            {
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
            _buffer[..Length].CopyTo(bigger);
            Dispose();
            _rented = bigger;
            _buffer = bigger;
        }
    }
}
