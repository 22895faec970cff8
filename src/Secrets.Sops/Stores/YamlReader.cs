using Secrets.Core;
using Secrets.Sops.Tree;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlComment = YamlDotNet.Core.Events.Comment;

namespace Secrets.Sops.Stores;

/// <summary>
/// Builds tree documents from YamlDotNet's event stream (no reflection). Anchors are expanded, tags dropped, comments kept
/// as <see cref="Tree.Comment"/> items (sops.md §6.1). A comment belongs to the mapping or sequence that holds the next
/// entry at or below its column, like go-yaml's head comments; trailing comments stay in the collection they are
/// indented under.
/// </summary>
internal sealed class YamlReader
{
    private readonly Parser _parser;
    private readonly string _text;
    private readonly Dictionary<string, object?> _anchors = new(StringComparer.Ordinal);
    private readonly List<(string Text, int Column)> _pending = [];

    private YamlReader(string text)
    {
        _text = text;
        _parser = new Parser(new Scanner(new StringReader(text), skipComments: false));
    }

    public static List<TreeBranch> Read(string text)
    {
        try
        {
            return new YamlReader(text).ReadStream();
        }
        catch (YamlException ex)
        {
            throw new InvalidFileException($"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner fails this way on some broken flow collections (found by Utf8YamlReaderTests' fuzzing).
            throw new InvalidFileException($"invalid YAML: {ex.Message}", ex);
        }
    }

    private List<TreeBranch> ReadStream()
    {
        var documents = new List<TreeBranch>();
        Expect<StreamStart>();
        while (!Accept<StreamEnd>())
        {
            CollectComments();
            if (_parser.Current is DocumentStart)
            {
                _parser.MoveNext();
                documents.Add(ReadDocument());
                continue;
            }

            if (!_parser.MoveNext())
            {
                break;
            }
        }

        return documents;
    }

    private TreeBranch ReadDocument()
    {
        _anchors.Clear();
        var root = new TreeBranch();
        CollectComments();
        switch (_parser.Current)
        {
            case MappingStart:
                root = ReadMapping(0);
                break;
            case DocumentEnd:
                break;
            case Scalar { Value: "" }:
                _parser.MoveNext();
                break;
            default:
                throw new InvalidFileException("YAML documents that are sequences or single values are not supported; the top level must be a mapping");
        }

        CollectComments();
        FlushPending(root, minColumn: 0);
        Expect<DocumentEnd>();
        return root;
    }

    private TreeBranch ReadMapping(int depth)
    {
        var start = (MappingStart)_parser.Current!;
        _parser.MoveNext();
        var branch = new TreeBranch();
        Remember(start.Anchor, branch);
        var column = -1;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            CollectComments();
            if (_parser.Current is MappingEnd)
            {
                FlushPending(branch, column < 0 ? int.MaxValue : column);
                _parser.MoveNext();
                return branch;
            }

            if (_parser.Current is not Scalar keyScalar)
            {
                throw new InvalidFileException($"unsupported YAML mapping key at line {_parser.Current!.Start.Line}: keys must be strings");
            }

            column = column < 0 ? (int)keyScalar.Start.Column : column;
            FlushPending(branch, minColumn: 0);
            _parser.MoveNext();
            var key = keyScalar.Value;
            if (!keys.Add(key))
            {
                throw new InvalidFileException($"YAML mapping has the key \"{key}\" twice (line {keyScalar.Start.Line})");
            }

            var value = ReadValue(depth + 1);
            branch.Add(key, value);
            CollectInline(branch);
        }
    }

    private TreeSequence ReadSequence(int depth)
    {
        var start = (SequenceStart)_parser.Current!;
        _parser.MoveNext();
        var sequence = new TreeSequence();
        Remember(start.Anchor, sequence);
        var column = -1;
        while (true)
        {
            CollectComments();
            if (_parser.Current is SequenceEnd)
            {
                TakePending(column < 0 ? int.MaxValue : column, text => sequence.Add(new Tree.Comment(text)));
                _parser.MoveNext();
                return sequence;
            }

            column = column < 0 ? (int)_parser.Current!.Start.Column : column;
            TakePending(0, text => sequence.Add(new Tree.Comment(text)));
            sequence.Add(ReadValue(depth + 1));
        }
    }

    private object? ReadValue(int depth)
    {
        if (depth > 256)
        {
            throw new InvalidFileException("YAML input is nested too deeply");
        }

        CollectComments();
        var current = _parser.Current!;
        switch (current)
        {
            case Scalar scalar:
                _parser.MoveNext();
                var value = scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsNonSpecific || scalar.Tag.IsEmpty || !scalar.Tag.Value.EndsWith(":str", StringComparison.Ordinal))
                    ? YamlScalars.Resolve(scalar.Value)
                    : scalar.Value;
                Remember(scalar.Anchor, value);
                return value;
            case MappingStart:
                return ReadMapping(depth);
            case SequenceStart:
                return ReadSequence(depth);
            case AnchorAlias alias:
                _parser.MoveNext();
                return _anchors.TryGetValue(alias.Value.Value, out var target)
                    ? TreeCopy.Value(target)
                    : throw new InvalidFileException($"YAML alias \"*{alias.Value}\" refers to an unknown anchor");
            default:
                throw new InvalidFileException($"unexpected YAML {current.GetType().Name} at line {current.Start.Line}");
        }
    }

    private void Remember(AnchorName anchor, object? value)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = value;
        }
    }

    /// <summary>Queues comment lines until the next entry decides which collection they belong to.</summary>
    private void CollectComments()
    {
        while (_parser.Current is YamlComment comment)
        {
            _pending.Add((CommentText(comment), (int)comment.Start.Column));
            if (!_parser.MoveNext())
            {
                // A comment as the very last bytes (no line break): YamlDotNet ends without StreamEnd and would leave
                // the comment current for ever (found by Utf8YamlReaderTests' fuzzing).
                return;
            }
        }
    }

    /// <summary>A comment on the same line as a value (<c>key: v # c</c>) stays with that entry's mapping.</summary>
    private void CollectInline(TreeBranch branch)
    {
        while (_parser.Current is YamlComment { IsInline: true } comment)
        {
            branch.Add(new TreeItem(new Tree.Comment(CommentText(comment)), null));
            _parser.MoveNext();
        }
    }

    /// <summary>
    /// The comment exactly as written after <c>#</c>: sops keeps go-yaml's text minus the <c>#</c>, leading space
    /// included (sops.md §6.1), and that text is what gets encrypted. YamlDotNet trims it, so read it from the source.
    /// </summary>
    private string CommentText(YamlComment comment)
    {
        var start = (int)comment.Start.Index;
        if (start < 0 || start >= _text.Length || _text[start] != '#')
        {
            return comment.Value;
        }

        var end = _text.IndexOfAny(['\n', '\r'], start);
        return _text[(start + 1)..(end < 0 ? _text.Length : end)];
    }

    private void FlushPending(TreeBranch branch, int minColumn) =>
        TakePending(minColumn, text => branch.Add(new TreeItem(new Tree.Comment(text), null)));

    /// <summary>Takes the leading pending comments indented at least <paramref name="minColumn"/>.</summary>
    private void TakePending(int minColumn, Action<string> add)
    {
        var taken = 0;
        while (taken < _pending.Count && _pending[taken].Column >= minColumn)
        {
            add(_pending[taken].Text);
            taken++;
        }

        _pending.RemoveRange(0, taken);
    }

    private void Expect<T>()
        where T : ParsingEvent
    {
        if (_parser.Current is null)
        {
            _parser.MoveNext();
        }

        CollectComments();
        if (_parser.Current is not T)
        {
            throw new InvalidFileException($"unexpected YAML {_parser.Current?.GetType().Name ?? "end"}, expected {typeof(T).Name}");
        }

        _parser.MoveNext();
    }

    private bool Accept<T>()
        where T : ParsingEvent
    {
        CollectComments();
        return _parser.Current is T;
    }
}
