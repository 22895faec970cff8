using System.Globalization;
using System.Text;
using Secrets.Core;
using Secrets.Sops.Stores;
using Secrets.Sops.Tests.Vectors;
using Secrets.Sops.Tree;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Stores;

/// <summary>
/// The UTF-8 block reader is a shortcut only: on every input it either gives exactly YamlReader's (YamlDotNet's)
/// tree, comments and scalar types included, or declines. Checked differentially on generated YAML (comments at every
/// column, quoting, escapes, literal blocks, unicode, sequences, several documents) and on mutations of it.
/// </summary>
public sealed class Utf8YamlReaderTests
{
    [Fact]
    public void Generated_yaml_gives_the_same_tree_as_yamldotnet()
    {
        var random = new Random(20261202);
        var accepted = 0;
        const int Cases = 3000;
        for (var i = 0; i < Cases; i++)
        {
            var text = YamlGenerator.Stream(random);
            accepted += Compare(text) ? 1 : 0;
        }

        // The generator stays inside the subset most of the time (it also writes "- - x", comments after "{}", …, which
        // are left to YamlDotNet), so the comparison is not vacuous.
        Assert.True(accepted > Cases * 3 / 5, $"only {accepted} of {Cases} generated files took the fast path");
    }

    [Fact]
    public void Mutated_yaml_gives_the_same_tree_or_is_declined()
    {
        var random = new Random(7);
        const string Pieces = ":#'\"-|>{}[]&*!?% \n\t\\,~.0é";
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder(YamlGenerator.Stream(random));
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, Pieces[random.Next(Pieces.Length)]);
                        break;
                    case 1 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    default:
                        text.Insert(at, "  ");
                        break;
                }
            }

            Compare(text.ToString());
        }
    }

    [Theory]
    [InlineData("a: 1\n")]
    [InlineData("a:\n    b: c # inline\n    # trailing\n# root trailing\nd: -5\n")]
    [InlineData("list:\n    - a # one\n    # between\n    - k: v\n      k2: |\n        text\n\n        more\n    # end of list\n# after\nz: ~\n")]
    [InlineData("---\n# head\na: \"x\\ty\\u00e9\\x41\"\n---\nb: 'it''s'\n# foot\n")]
    [InlineData("keep: |+\n    a\n\n\nstrip: |-\n    b\nclip: |\n    c\n")]
    [InlineData("empty: {}\nnone: []\nq: ''\nd: 2024-01-02\nf: 1.5e3\nh: 0x1F\nt: True\n")]
    public void Sops_shaped_files_take_the_fast_path(string yaml)
    {
        Assert.NotNull(Utf8YamlReader.TryRead(Encoding.UTF8.GetBytes(yaml)));
        Assert.True(Compare(yaml));
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("a: [1, 2]\n")]
    [InlineData("a: >\n    folded\n")]
    [InlineData("a: multi\n  line\n")]
    [InlineData("a:\n- indentless\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: 1\r\n")]
    [InlineData("a:\tb\n")]
    [InlineData("? complex\n: key\n")]
    [InlineData("%YAML 1.2\n---\na: 1\n")]
    [InlineData("- top level list\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("")]
    public void Input_outside_the_subset_is_left_to_yamldotnet(string yaml)
    {
        Assert.Null(Utf8YamlReader.TryRead(Encoding.UTF8.GetBytes(yaml)));
    }

    /// <summary>Found by the mutation test: YamlReader used to spin for ever on a comment as the file's last bytes.</summary>
    [Fact]
    public void A_comment_without_a_final_line_break_ends_the_file()
    {
        Assert.Empty(YamlReader.Read(" # c20 é  \"quoted key\": +12"));
        Assert.Equal("a: 1\n# end\n", Encoding.UTF8.GetString(new YamlStore().EmitPlain(new YamlStore().LoadPlain("a: 1\n# end"u8))));
    }

    [VectorFact("sops")]
    public void Every_yaml_vector_gives_the_same_tree()
    {
        var files = Directory.EnumerateFiles(VectorKeys.Path("sops-repo"), "*.yaml")
            .Concat(Directory.EnumerateFiles(VectorKeys.Path("flux"), "*.yaml", SearchOption.AllDirectories))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Compare(File.ReadAllText(file));
        }
    }

    /// <summary>Asserts both readers agree; returns whether the fast path took the input.</summary>
    private static bool Compare(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var fast = Utf8YamlReader.TryRead(bytes);
        string expected;
        try
        {
            expected = Dump(YamlReader.Read(text));
        }
        catch (InvalidFileException ex)
        {
            Assert.True(fast is null, $"the fast path accepted YAML that YamlDotNet rejects ({ex.Message}):\n{text}");
            return false;
        }

        if (fast is null)
        {
            return false;
        }

        var actual = Dump(fast);
        Assert.True(expected == actual, $"trees differ for:\n{text}\n--- YamlDotNet:\n{expected}\n--- fast:\n{actual}");
        return true;
    }

    private static string Dump(List<TreeBranch> documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            text.Append("---\n");
            Dump(document, text, 0);
        }

        return text.ToString();
    }

    private static void Dump(object? value, StringBuilder text, int depth)
    {
        var pad = new string(' ', depth * 2);
        switch (value)
        {
            case TreeBranch branch:
                text.Append("map\n");
                foreach (var item in branch)
                {
                    text.Append(pad).Append(item.Key is Comment c ? "#" + Escape(c.Text) : "key " + Escape((string)item.Key)).Append(" = ");
                    Dump(item.Value, text, depth + 1);
                }

                break;
            case TreeSequence sequence:
                text.Append("seq\n");
                foreach (var element in sequence)
                {
                    text.Append(pad).Append("- ");
                    Dump(element, text, depth + 1);
                }

                break;
            case Comment comment:
                text.Append("comment ").Append(Escape(comment.Text)).Append('\n');
                break;
            case null:
                text.Append("null\n");
                break;
            case string s:
                text.Append("str ").Append(Escape(s)).Append('\n');
                break;
            case double d:
                text.Append("double ").Append(d.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                break;
            case DateTimeOffset t:
                text.Append("time ").Append(t.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
                break;
            default:
                text.Append(value.GetType().Name).Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
                break;
        }
    }

    private static string Escape(string s) =>
        "\"" + string.Concat(s.Select(c => c is < ' ' or '"' or '\\' or > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"";

    /// <summary>Random block YAML of the kinds sops files and hand-written manifests use.</summary>
    private static class YamlGenerator
    {
        private static readonly string[] Words = ["alpha", "beta", "gamma", "x", "db.host", "api-key", "snake_case", "with space", "ключ", "日本", "a,b", "v[1]", "o'k", "semi;colon"];

        private static readonly string[] Scalars =
        [
            "plain", "two words", "value number 7 with some text", "-5", "0x1F", "012", "1.5", "-.5", "1e3", "+12", "true", "False", "null", "~", "2024-01-02",
            "2024-01-02T03:04:05Z", "\"\"", "''", "\"quoted: yes\"", "'single # not comment'", "'it''s'", "\"esc \\\" \\\\ \\n \\t \\u00e9 \\x41 \\U0001F600 \\/\"",
            "héllo wörld", "a#b", "a: b", "url://x", "a, b, c", "{}", "[]", "- x", "-x", ".inf", ".NaN", "1_000", "0b101", "0o17", "-0", "x:y", "\"\\N\\_\\L\\P\\e\\0\"",
        ];

        public static string Stream(Random random)
        {
            var text = new StringBuilder();
            var documents = random.Next(1, 4);
            if (random.Next(4) == 0)
            {
                text.Append("---\n");
            }

            for (var i = 0; i < documents; i++)
            {
                if (i > 0)
                {
                    text.Append("---\n");
                }

                Mapping(random, text, 0, random.Next(2) == 0 ? 2 : 4, 0, firstInline: false);
            }

            MaybeComments(random, text, 0);
            return text.ToString();
        }

        private static void Mapping(Random random, StringBuilder text, int indent, int step, int depth, bool firstInline)
        {
            var keys = new HashSet<string>();
            var count = random.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                var key = Key(random);
                if (!keys.Add(key))
                {
                    continue;
                }

                if (!(firstInline && i == 0))
                {
                    MaybeComments(random, text, indent);
                    text.Append(' ', indent);
                }

                text.Append(key).Append(':');
                var kind = depth < 3 ? random.Next(10) : 0;
                switch (kind)
                {
                    case 7:
                        MaybeInline(random, text, separated: true);
                        text.Append('\n');
                        Mapping(random, text, indent + step, step, depth + 1, firstInline: false);
                        break;
                    case 8:
                        MaybeInline(random, text, separated: true);
                        text.Append('\n');
                        Sequence(random, text, indent + step, step, depth + 1);
                        break;
                    case 9:
                        Literal(random, text, indent + step);
                        break;
                    case 6:
                        MaybeInline(random, text, separated: true);
                        text.Append('\n');
                        break;
                    default:
                        text.Append(' ').Append(Scalars[random.Next(Scalars.Length)]);
                        MaybeInline(random, text, separated: false);
                        text.Append('\n');
                        break;
                }
            }
        }

        private static void Sequence(Random random, StringBuilder text, int indent, int step, int depth)
        {
            var count = random.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                MaybeComments(random, text, indent);
                text.Append(' ', indent).Append("- ");
                switch (random.Next(4))
                {
                    case 0:
                        Mapping(random, text, indent + 2, step, depth + 1, firstInline: true);
                        break;
                    case 1 when depth < 3:
                        text.Length -= 1;
                        Literal(random, text, indent + 2);
                        break;
                    default:
                        text.Append(Scalars[random.Next(Scalars.Length)]);
                        MaybeInline(random, text, separated: false);
                        text.Append('\n');
                        break;
                }
            }
        }

        private static void Literal(Random random, StringBuilder text, int indent)
        {
            text.Append(" |").Append(random.Next(3) switch { 0 => "", 1 => "-", _ => "+" }).Append('\n');
            var lines = random.Next(1, 4);
            for (var i = 0; i < lines; i++)
            {
                text.Append(' ', indent + (i > 0 && random.Next(4) == 0 ? 2 : 0)).Append(Scalars[random.Next(Scalars.Length)]).Append('\n');
                if (random.Next(4) == 0)
                {
                    text.Append('\n');
                }
            }
        }

        private static void MaybeComments(Random random, StringBuilder text, int indent)
        {
            while (random.Next(4) == 0)
            {
                if (random.Next(3) == 0)
                {
                    text.Append('\n');
                }

                var column = random.Next(3) switch { 0 => 0, 1 => indent, _ => random.Next(indent + 6) };
                text.Append(' ', column).Append('#').Append(random.Next(3) == 0 ? "" : " c" + random.Next(100) + (random.Next(5) == 0 ? " é  " : "")).Append('\n');
            }
        }

        private static void MaybeInline(Random random, StringBuilder text, bool separated)
        {
            if (random.Next(4) == 0)
            {
                text.Append(separated && random.Next(2) == 0 ? "" : " ").Append(separated ? " # after key" : " # inline " + random.Next(10));
            }
        }

        private static string Key(Random random) => random.Next(8) switch
        {
            0 => "\"quoted key\"",
            1 => "'single key'",
            _ => Words[random.Next(Words.Length)],
        };
    }
}
