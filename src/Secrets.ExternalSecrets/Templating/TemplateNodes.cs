namespace Secrets.ExternalSecrets.Templating;

// The parse tree of Go text/template, reduced to what ESO templates use (eso-flux.md §1.9).

internal abstract record Node(int Line, int Column);

internal sealed record TextNode(string Text) : Node(0, 0);

internal sealed record ActionNode(Pipeline Pipeline, int Line, int Column) : Node(Line, Column);

internal sealed record IfNode(Pipeline Pipeline, List<Node> Then, List<Node>? Else, int Line, int Column) : Node(Line, Column);

internal sealed record WithNode(Pipeline Pipeline, List<Node> Then, List<Node>? Else, int Line, int Column) : Node(Line, Column);

internal sealed record RangeNode(Pipeline Pipeline, List<Node> Body, List<Node>? Else, int Line, int Column) : Node(Line, Column);

internal sealed record BreakNode(int Line, int Column) : Node(Line, Column);

internal sealed record ContinueNode(int Line, int Column) : Node(Line, Column);

/// <summary><c>$a, $b := cmd | cmd</c>; <see cref="IsAssign"/> for <c>=</c> (reassign an existing variable).</summary>
internal sealed record Pipeline(IReadOnlyList<string> Variables, bool IsAssign, IReadOnlyList<Command> Commands, string Source);

internal sealed record Command(IReadOnlyList<Operand> Args);

internal abstract record Operand;

internal sealed record LiteralOperand(object? Value) : Operand;

internal sealed record DotOperand : Operand;

internal sealed record FunctionOperand(string Name) : Operand;

/// <summary><c>.a.b</c> on dot.</summary>
internal sealed record FieldOperand(IReadOnlyList<string> Fields) : Operand;

/// <summary><c>$x.a.b</c>.</summary>
internal sealed record VariableOperand(string Name, IReadOnlyList<string> Fields) : Operand;

/// <summary><c>(pipeline).a.b</c>.</summary>
internal sealed record ChainOperand(Pipeline Pipeline, IReadOnlyList<string> Fields) : Operand;
