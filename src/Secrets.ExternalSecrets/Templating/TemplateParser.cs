namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// Builds the parse tree. Like Go, functions are checked at parse time, so an unknown function fails before any
/// data is touched: <c>template: NAME:LINE: function "foo" not defined</c>.
/// </summary>
internal sealed class TemplateParser(string name, IReadOnlySet<string> functions)
{
    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"];

    private List<Segment> _segments = [];
    private int _index;
    private int _rangeDepth;

    public List<Node> Parse(string text)
    {
        _segments = TemplateLexer.Split(text, name);
        _index = 0;
        var (nodes, terminator) = ParseList();
        return terminator is null ? nodes : throw Error(terminator.Value.Segment, $"unexpected {{{{{terminator.Value.Keyword}}}}}");
    }

    // Parses until {{end}} / {{else …}} or the end of input; returns which keyword stopped it.
    private (List<Node> Nodes, (string Keyword, Segment Segment, List<Token> Tail)? Terminator) ParseList()
    {
        var nodes = new List<Node>();
        while (_index < _segments.Count)
        {
            var segment = _segments[_index++];
            if (!segment.IsAction)
            {
                nodes.Add(new TextNode(segment.Text));
                continue;
            }

            var tokens = TemplateLexer.Tokenize(segment.Text, message => Error(segment, message));
            if (tokens.Count == 0)
            {
                throw Error(segment, "missing value for command");
            }

            var keyword = tokens[0].Kind == TokenKind.Identifier && Keywords.Contains(tokens[0].Text) ? tokens[0].Text : null;
            switch (keyword)
            {
                case null:
                    nodes.Add(new ActionNode(ParsePipeline(segment, tokens, allowDeclarations: 1), segment.Line, segment.Column));
                    break;
                case "end" or "else":
                    return (nodes, (keyword, segment, tokens.GetRange(1, tokens.Count - 1)));
                case "if" or "with":
                    nodes.Add(ParseBranch(keyword, segment, tokens.GetRange(1, tokens.Count - 1)));
                    break;
                case "range":
                    nodes.Add(ParseRange(segment, tokens.GetRange(1, tokens.Count - 1)));
                    break;
                case "break" or "continue":
                    if (_rangeDepth == 0)
                    {
                        throw Error(segment, $"{{{{{keyword}}}}} outside {{{{range}}}}");
                    }

                    nodes.Add(keyword == "break" ? new BreakNode(segment.Line, segment.Column) : new ContinueNode(segment.Line, segment.Column));
                    break;
                default:
                    throw Error(segment, $"{{{{{keyword}}}}} is not supported by this template engine (define/template/block)");
            }
        }

        return (nodes, null);
    }

    private Node ParseBranch(string keyword, Segment segment, List<Token> tokens)
    {
        var pipeline = ParsePipeline(segment, tokens, allowDeclarations: 1);
        var (then, terminator) = ParseList();
        List<Node>? otherwise = null;
        if (terminator is { Keyword: "else" } elseBranch)
        {
            if (elseBranch.Tail.Count > 0 && elseBranch.Tail[0].Kind == TokenKind.Identifier && elseBranch.Tail[0].Text is "if" or "with")
            {
                // {{else if …}} / {{else with …}}: a nested branch that shares our {{end}}.
                otherwise = [ParseBranch(elseBranch.Tail[0].Text, elseBranch.Segment, elseBranch.Tail.GetRange(1, elseBranch.Tail.Count - 1))];
                return keyword == "if" ? new IfNode(pipeline, then, otherwise, segment.Line, segment.Column) : new WithNode(pipeline, then, otherwise, segment.Line, segment.Column);
            }

            (otherwise, terminator) = ParseList();
        }

        if (terminator is not { Keyword: "end" })
        {
            throw Error(segment, $"unexpected EOF in {{{{{keyword}}}}}");
        }

        return keyword == "if" ? new IfNode(pipeline, then, otherwise, segment.Line, segment.Column) : new WithNode(pipeline, then, otherwise, segment.Line, segment.Column);
    }

    private RangeNode ParseRange(Segment segment, List<Token> tokens)
    {
        var pipeline = ParsePipeline(segment, tokens, allowDeclarations: 2);
        _rangeDepth++;
        var (body, terminator) = ParseList();
        _rangeDepth--;
        List<Node>? otherwise = null;
        if (terminator is { Keyword: "else" })
        {
            (otherwise, terminator) = ParseList();
        }

        return terminator is { Keyword: "end" } ? new RangeNode(pipeline, body, otherwise, segment.Line, segment.Column) : throw Error(segment, "unexpected EOF in {{range}}");
    }

    private Pipeline ParsePipeline(Segment segment, List<Token> tokens, int allowDeclarations)
    {
        var position = 0;
        var variables = new List<string>();
        var isAssign = false;
        var declarationEnd = tokens.FindIndex(t => t.Kind is TokenKind.Declare or TokenKind.Assign);
        if (declarationEnd > 0 && tokens.Take(declarationEnd).All(t => t.Kind is TokenKind.Variable or TokenKind.Comma))
        {
            variables.AddRange(tokens.Take(declarationEnd).Where(t => t.Kind == TokenKind.Variable).Select(t => t.Text));
            if (variables.Count > allowDeclarations)
            {
                throw Error(segment, "too many declarations");
            }

            isAssign = tokens[declarationEnd].Kind == TokenKind.Assign;
            position = declarationEnd + 1;
        }

        var commands = new List<Command>();
        var pipeline = ParseCommands(segment, tokens, ref position, commands, variables, isAssign);
        return position == tokens.Count ? pipeline : throw Error(segment, $"unexpected \"{tokens[position].Text}\" in command");
    }

    private Pipeline ParseCommands(Segment segment, List<Token> tokens, ref int position, List<Command> commands, List<string> variables, bool isAssign)
    {
        while (true)
        {
            var args = new List<Operand>();
            while (position < tokens.Count && tokens[position].Kind is not (TokenKind.Pipe or TokenKind.RightParen))
            {
                args.Add(ParseOperand(segment, tokens, ref position));
            }

            if (args.Count == 0)
            {
                throw Error(segment, "missing value for command");
            }

            commands.Add(new Command(args));
            if (position < tokens.Count && tokens[position].Kind == TokenKind.Pipe)
            {
                position++;
                continue;
            }

            return new Pipeline(variables, isAssign, commands, segment.Text.Trim());
        }
    }

    private Operand ParseOperand(Segment segment, List<Token> tokens, ref int position)
    {
        var token = tokens[position++];
        Operand term = token.Kind switch
        {
            TokenKind.String or TokenKind.Number => new LiteralOperand(token.Value),
            TokenKind.Dot => new DotOperand(),
            TokenKind.Field => new FieldOperand([token.Text]),
            TokenKind.Variable => new VariableOperand(token.Text, []),
            TokenKind.Identifier => token.Text switch
            {
                "true" => new LiteralOperand(true),
                "false" => new LiteralOperand(false),
                "nil" => new LiteralOperand(null),
                _ => functions.Contains(token.Text) ? new FunctionOperand(token.Text) : throw Error(segment, $"function \"{token.Text}\" not defined"),
            },
            TokenKind.LeftParen => ParseParenthesized(segment, tokens, ref position),
            _ => throw Error(segment, $"unexpected \"{token.Text}\" in operand"),
        };

        // Fields written directly after a term (no space) chain onto it: .a.b, $x.a, (pipe).a
        var fields = new List<string>();
        while (position < tokens.Count && tokens[position].Kind == TokenKind.Field && !tokens[position].SpaceBefore)
        {
            fields.Add(tokens[position++].Text);
        }

        return fields.Count == 0 ? term : term switch
        {
            FieldOperand f => new FieldOperand([.. f.Fields, .. fields]),
            VariableOperand v => new VariableOperand(v.Name, fields),
            ChainOperand c => new ChainOperand(c.Pipeline, fields),
            _ => throw Error(segment, $"unexpected . after term \"{token.Text}\""),
        };
    }

    private ChainOperand ParseParenthesized(Segment segment, List<Token> tokens, ref int position)
    {
        var pipeline = ParseCommands(segment, tokens, ref position, [], [], false);
        if (position >= tokens.Count || tokens[position].Kind != TokenKind.RightParen)
        {
            throw Error(segment, "unclosed left paren");
        }

        position++;
        return new ChainOperand(pipeline, []);
    }

    private TemplateException Error(Segment segment, string message) =>
        new($"template: {name}:{segment.Line}: {message}");
}
