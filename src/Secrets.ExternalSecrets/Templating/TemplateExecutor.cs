using System.Text;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// Walks the parse tree (Go text/template exec.go semantics with <c>missingkey=error</c>): variables are scoped to
/// their control block, <c>$</c> is the root data, <c>range</c> over a map visits keys in sorted order.
/// </summary>
internal sealed class TemplateExecutor(string name, object? root)
{
    private readonly List<(string Name, object? Value)> _variables = [("$", root)];
    private readonly StringBuilder _output = new();
    private Node _current = new TextNode("");

    private sealed class BreakSignal : Exception;

    private sealed class ContinueSignal : Exception;

    public string Execute(List<Node> nodes)
    {
        try
        {
            Walk(nodes, root);
        }
        catch (TemplateFunctionException e)
        {
            throw Error(e.Message);
        }

        return _output.ToString();
    }

    private void Walk(List<Node> nodes, object? dot)
    {
        foreach (var node in nodes)
        {
            _current = node;
            switch (node)
            {
                case TextNode text:
                    _output.Append(text.Text);
                    break;
                case ActionNode action:
                    var value = EvalPipeline(action.Pipeline, dot);
                    if (action.Pipeline.Variables.Count == 0)
                    {
                        _output.Append(GoValues.Print(value));
                    }

                    break;
                case IfNode branch:
                    Scoped(() =>
                    {
                        if (GoValues.IsTrue(EvalPipeline(branch.Pipeline, dot)))
                        {
                            Walk(branch.Then, dot);
                        }
                        else if (branch.Else is not null)
                        {
                            Walk(branch.Else, dot);
                        }
                    });
                    break;
                case WithNode with:
                    Scoped(() =>
                    {
                        var value = EvalPipeline(with.Pipeline, dot);
                        if (GoValues.IsTrue(value))
                        {
                            Walk(with.Then, value);
                        }
                        else if (with.Else is not null)
                        {
                            Walk(with.Else, dot);
                        }
                    });
                    break;
                case RangeNode range:
                    Scoped(() => Range(range, dot));
                    break;
                case BreakNode:
                    throw new BreakSignal();
                case ContinueNode:
                    throw new ContinueSignal();
            }
        }
    }

    private void Scoped(Action body)
    {
        var mark = _variables.Count;
        try
        {
            body();
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private void Range(RangeNode range, object? dot)
    {
        // The pipeline is evaluated without declaring: range declares per element.
        var collection = EvalPipeline(range.Pipeline with { Variables = [] }, dot);
        var items = collection switch
        {
            null => [],
            List<object?> list => list.Select((v, i) => ((object?)(long)i, v)).ToList(),
            long n => Enumerable.Range(0, (int)Math.Max(0, n)).Select(i => ((object?)(long)i, (object?)(long)i)).ToList(),
            _ when GoValues.MapKeys(collection) is { } keys => keys.Select(k => ((object?)k, GoValues.Lookup(collection, k).Value)).ToList(),
            _ => throw Error($"range can't iterate over {GoValues.Format(collection)}"),
        };

        if (items.Count == 0)
        {
            if (range.Else is not null)
            {
                Walk(range.Else, dot);
            }

            return;
        }

        var mark = _variables.Count;
        foreach (var (key, value) in items)
        {
            switch (range.Pipeline.Variables)
            {
                case [var only]:
                    _variables.Add((only, value));
                    break;
                case [var k, var v]:
                    _variables.Add((k, key));
                    _variables.Add((v, value));
                    break;
            }

            try
            {
                Walk(range.Body, value);
            }
            catch (BreakSignal)
            {
                break;
            }
            catch (ContinueSignal)
            {
            }
            finally
            {
                _variables.RemoveRange(mark, _variables.Count - mark);
            }
        }
    }

    private object? EvalPipeline(Pipeline pipeline, object? dot)
    {
        object? value = null;
        var first = true;
        foreach (var command in pipeline.Commands)
        {
            value = EvalCommand(command, dot, first ? Missing.Value : value);
            first = false;
        }

        foreach (var variable in pipeline.Variables)
        {
            if (pipeline.IsAssign)
            {
                var index = _variables.FindLastIndex(v => v.Name == variable);
                _variables[index < 0 ? throw Error($"undefined variable: {variable}") : index] = (variable, value);
            }
            else
            {
                _variables.Add((variable, value));
            }
        }

        return value;
    }

    private sealed class Missing
    {
        public static readonly Missing Value = new();
    }

    private object? EvalCommand(Command command, object? dot, object? final)
    {
        if (command.Args[0] is FunctionOperand function)
        {
            return Call(function.Name, command.Args.Skip(1).ToList(), dot, final);
        }

        if (command.Args.Count > 1 || final is not Missing)
        {
            throw Error($"can't give argument to non-function {Describe(command.Args[0])}");
        }

        return EvalOperand(command.Args[0], dot);
    }

    private object? Call(string function, List<Operand> operands, object? dot, object? final)
    {
        var implementation = TemplateFunctions.All[function];
        try
        {
            if (function is "and" or "or")
            {
                // Go ≥ 1.18 evaluates and/or lazily, stopping at the first decisive argument.
                var stopWhenTrue = function == "or";
                object? last = null;
                var all = operands.Select(o => (Func<object?>)(() => EvalOperand(o, dot))).ToList();
                if (final is not Missing)
                {
                    all.Add(() => final);
                }

                if (all.Count == 0)
                {
                    throw new TemplateFunctionException($"wrong number of args for {function}: want at least 1 got 0");
                }

                foreach (var next in all)
                {
                    last = next();
                    if (GoValues.IsTrue(last) == stopWhenTrue)
                    {
                        return last;
                    }
                }

                return last;
            }

            var args = operands.Select(o => EvalOperand(o, dot)).ToList();
            if (final is not Missing)
            {
                args.Add(final);
            }

            return implementation(args);
        }
        catch (TemplateFunctionException e) when (!e.Message.StartsWith("error calling", StringComparison.Ordinal))
        {
            throw new TemplateFunctionException($"error calling {function}: {e.Message}");
        }
    }

    private object? EvalOperand(Operand operand, object? dot) => operand switch
    {
        LiteralOperand literal => literal.Value,
        DotOperand => dot,
        FieldOperand field => Fields(dot, field.Fields, operand),
        VariableOperand variable => Fields(Variable(variable.Name), variable.Fields, operand),
        ChainOperand chain => Fields(EvalPipeline(chain.Pipeline, dot), chain.Fields, operand),
        FunctionOperand function => Call(function.Name, [], dot, Missing.Value),
        _ => throw Error("unknown operand"),
    };

    private object? Variable(string variable)
    {
        var index = _variables.FindLastIndex(v => v.Name == variable);
        return index >= 0 ? _variables[index].Value : throw Error($"undefined variable: {variable}");
    }

    private object? Fields(object? value, IReadOnlyList<string> fields, Operand operand)
    {
        foreach (var field in fields)
        {
            if (value is null)
            {
                throw Error($"nil pointer evaluating interface {{}}.{field}", operand);
            }

            if (!GoValues.IsMap(value))
            {
                throw Error($"can't evaluate field {field} in type {GoValues.TypeName(value)}", operand);
            }

            var (found, item) = GoValues.Lookup(value, field);
            // missingkey=error (runtime/template/v2/template.go)
            value = found ? item : throw Error($"map has no entry for key \"{field}\"", operand);
        }

        return value;
    }

    private static string Describe(Operand operand) => operand switch
    {
        FieldOperand f => "." + string.Join('.', f.Fields),
        VariableOperand v => v.Name + string.Concat(v.Fields.Select(f => "." + f)),
        DotOperand => ".",
        LiteralOperand l => GoValues.Format(l.Value),
        _ => "(…)",
    };

    private TemplateException Error(string message, Operand? at = null)
    {
        var where = at is null ? "" : $" at <{Describe(at)}>";
        return new TemplateException($"template: {name}:{_current.Line}:{_current.Column}: executing \"{name}\"{where}: {message}");
    }
}
