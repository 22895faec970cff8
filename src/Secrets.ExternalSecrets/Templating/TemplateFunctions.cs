namespace Secrets.ExternalSecrets.Templating;

/// <summary>A template function: arguments in order (a piped value comes last), returns a value or throws <see cref="TemplateFunctionException"/>.</summary>
internal delegate object? TemplateFunction(IReadOnlyList<object?> args);

/// <summary>The function map of ESO's v2 engine: Go's builtins plus the Sprig subset (eso-flux.md §1.9).</summary>
internal static class TemplateFunctions
{
    public static IReadOnlyDictionary<string, TemplateFunction> All { get; } = Build();

    public static IReadOnlySet<string> Names { get; } = All.Keys.ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, TemplateFunction> Build()
    {
        var map = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        BuiltinFunctions.Register(map);
        SprigFunctions.Register(map);
        return map;
    }

    public static void Arity(IReadOnlyList<object?> args, int count, string name)
    {
        if (args.Count != count)
        {
            throw new TemplateFunctionException($"wrong number of args for {name}: want {count} got {args.Count}");
        }
    }

    public static void MinArity(IReadOnlyList<object?> args, int count, string name)
    {
        if (args.Count < count)
        {
            throw new TemplateFunctionException($"wrong number of args for {name}: want at least {count} got {args.Count}");
        }
    }
}
