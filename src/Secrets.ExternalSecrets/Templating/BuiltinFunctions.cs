using System.Net;
using System.Text;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>Go text/template's predefined functions (and/or are evaluated lazily by the executor).</summary>
internal static class BuiltinFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> map)
    {
        map["and"] = args => args.FirstOrDefault(a => !GoValues.IsTrue(a), args.Count > 0 ? args[^1] : null);
        map["or"] = args => args.FirstOrDefault(GoValues.IsTrue, args.Count > 0 ? args[^1] : null);
        map["not"] = args =>
        {
            TemplateFunctions.Arity(args, 1, "not");
            return !GoValues.IsTrue(args[0]);
        };
        map["len"] = args => Len(args);
        map["index"] = Index;
        map["slice"] = Slice;
        map["print"] = args => Print(args);
        map["println"] = args => string.Join(' ', args.Select(GoValues.Format)) + "\n";
        map["printf"] = args =>
        {
            TemplateFunctions.MinArity(args, 1, "printf");
            return GoFormat.Sprintf(GoValues.ToStringArg(args[0], "printf"), [.. args.Skip(1)]);
        };
        map["eq"] = args =>
        {
            TemplateFunctions.MinArity(args, 2, "eq");
            return args.Skip(1).Any(b => GoValues.Equal(args[0], b));
        };
        map["ne"] = args => Compare(args, "ne", (a, b) => !GoValues.Equal(a, b));
        map["lt"] = args => Compare(args, "lt", (a, b) => GoValues.Compare(a, b) < 0);
        map["le"] = args => Compare(args, "le", (a, b) => GoValues.Compare(a, b) <= 0);
        map["gt"] = args => Compare(args, "gt", (a, b) => GoValues.Compare(a, b) > 0);
        map["ge"] = args => Compare(args, "ge", (a, b) => GoValues.Compare(a, b) >= 0);
        map["html"] = args => WebUtility.HtmlEncode(Print(args));
        map["urlquery"] = args => WebUtility.UrlEncode(Print(args));
    }

    private static bool Compare(IReadOnlyList<object?> args, string name, Func<object?, object?, bool> test)
    {
        TemplateFunctions.Arity(args, 2, name);
        return test(args[0], args[1]);
    }

    // fmt.Sprint: spaces only between operands when neither is a string.
    private static string Print(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(GoValues.Format(args[i]));
        }

        return sb.ToString();
    }

    private static long Len(IReadOnlyList<object?> args)
    {
        TemplateFunctions.Arity(args, 1, "len");
        return args[0] switch
        {
            string s => Encoding.UTF8.GetByteCount(s),
            IReadOnlyDictionary<string, string> m => m.Count,
            Dictionary<string, object?> m => m.Count,
            List<object?> l => l.Count,
            var other => throw new TemplateFunctionException($"len of type {GoValues.TypeName(other)}"),
        };
    }

    private static object? Index(IReadOnlyList<object?> args)
    {
        TemplateFunctions.MinArity(args, 1, "index");
        var item = args[0];
        foreach (var key in args.Skip(1))
        {
            item = item switch
            {
                null => throw new TemplateFunctionException("index of untyped nil"),
                List<object?> list => GoValues.ToInt(key, "index") is var i && i >= 0 && i < list.Count ? list[(int)i] : throw new TemplateFunctionException($"index out of range: {GoValues.Format(key)}"),
                string s => GoValues.ToInt(key, "index") is var j && j >= 0 && j < Encoding.UTF8.GetByteCount(s) ? (long)Encoding.UTF8.GetBytes(s)[j] : throw new TemplateFunctionException($"index out of range: {GoValues.Format(key)}"),
                _ when GoValues.IsMap(item) => GoValues.Lookup(item, key as string ?? throw new TemplateFunctionException($"value has type {GoValues.TypeName(key)}; should be string")).Value,
                _ => throw new TemplateFunctionException($"can't index item of type {GoValues.TypeName(item)}"),
            };
        }

        return item;
    }

    private static object Slice(IReadOnlyList<object?> args)
    {
        TemplateFunctions.MinArity(args, 1, "slice");
        var bounds = args.Skip(1).Select(a => (int)GoValues.ToInt(a, "slice")).ToArray();
        return args[0] switch
        {
            string s => bounds switch
            {
                [] => s,
                [var from] => s[from..],
                [var from, var to] => s[from..to],
                _ => throw new TemplateFunctionException("cannot 3-index slice a string"),
            },
            List<object?> l => bounds switch
            {
                [] => l,
                [var from] => l[from..],
                [var from, var to, ..] => l[from..to],
            },
            var other => throw new TemplateFunctionException($"can't slice item of type {GoValues.TypeName(other)}"),
        };
    }
}
