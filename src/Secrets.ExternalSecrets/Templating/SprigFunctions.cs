using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// The Sprig v3 functions ESO users rely on (eso-flux.md §1.9), with Sprig's argument order (the piped value last)
/// and Sprig's quirks kept on purpose: <c>b64dec</c> returns the error text on bad input, <c>fromJson</c> returns nil,
/// <c>split</c> returns a map keyed <c>_0</c>, <c>_1</c>….
/// </summary>
internal static class SprigFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> map)
    {
        map["b64enc"] = args => Convert.ToBase64String(Encoding.UTF8.GetBytes(One(args, "b64enc")));
        map["b64dec"] = args => Base64Decode(One(args, "b64dec"));
        map["toJson"] = args =>
        {
            TemplateFunctions.Arity(args, 1, "toJson");
            return GoJson.Marshal(args[0]);
        };
        map["fromJson"] = args =>
        {
            try
            {
                return GoJson.Unmarshal(One(args, "fromJson"));
            }
            catch (JsonException)
            {
                return null;
            }
        };
        map["toString"] = args =>
        {
            TemplateFunctions.Arity(args, 1, "toString");
            return GoValues.StrVal(args[0]);
        };
        map["upper"] = args => One(args, "upper").ToUpperInvariant();
        map["lower"] = args => One(args, "lower").ToLowerInvariant();
        map["trim"] = args => One(args, "trim").Trim();
        map["trimAll"] = args => Two(args, "trimAll") is var (cut, s) ? s.Trim(cut.ToCharArray()) : "";
        map["trimPrefix"] = args => Two(args, "trimPrefix") is var (prefix, s) && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : args[1];
        map["trimSuffix"] = args => Two(args, "trimSuffix") is var (suffix, s) && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : args[1];
        map["replace"] = args =>
        {
            TemplateFunctions.Arity(args, 3, "replace");
            var (old, replacement, s) = (Str(args[0]), Str(args[1]), Str(args[2]));
            return old.Length == 0 ? InsertEverywhere(s, replacement) : s.Replace(old, replacement, StringComparison.Ordinal);
        };
        map["quote"] = args => string.Join(' ', args.Where(a => a is not null).Select(a => GoFormat.Quote(GoValues.StrVal(a))));
        map["squote"] = args => string.Join(' ', args.Where(a => a is not null).Select(a => "'" + GoValues.StrVal(a) + "'"));
        map["default"] = args =>
        {
            TemplateFunctions.MinArity(args, 1, "default");
            return args.Count < 2 || Empty(args[1]) ? args[0] : args[1];
        };
        map["empty"] = args =>
        {
            TemplateFunctions.Arity(args, 1, "empty");
            return Empty(args[0]);
        };
        map["coalesce"] = args => args.FirstOrDefault(a => !Empty(a));
        map["ternary"] = args =>
        {
            TemplateFunctions.Arity(args, 3, "ternary");
            return GoValues.IsTrue(args[2]) ? args[0] : args[1];
        };
        map["contains"] = args => Two(args, "contains") is var (sub, s) && s.Contains(sub, StringComparison.Ordinal);
        map["hasPrefix"] = args => Two(args, "hasPrefix") is var (prefix, s) && s.StartsWith(prefix, StringComparison.Ordinal);
        map["hasSuffix"] = args => Two(args, "hasSuffix") is var (suffix, s) && s.EndsWith(suffix, StringComparison.Ordinal);
        map["join"] = args =>
        {
            TemplateFunctions.Arity(args, 2, "join");
            return string.Join(Str(args[0]), StrSlice(args[1]));
        };
        map["split"] = args =>
        {
            var (sep, s) = Two(args, "split");
            var parts = s.Split(sep);
            return parts.Select((p, i) => (p, i)).ToDictionary(x => "_" + x.i.ToString(System.Globalization.CultureInfo.InvariantCulture), x => (object?)x.p, StringComparer.Ordinal);
        };
        map["splitList"] = args => Two(args, "splitList") is var (sep, s) ? s.Split(sep).Select(p => (object?)p).ToList() : null;
        map["list"] = args => args.ToList();
        map["dict"] = args =>
        {
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < args.Count; i += 2)
            {
                dict[GoValues.StrVal(args[i])] = i + 1 < args.Count ? args[i + 1] : "";
            }

            return dict;
        };
        map["get"] = args =>
        {
            TemplateFunctions.Arity(args, 2, "get");
            var (found, value) = GoValues.Lookup(args[0], Str(args[1]));
            return found ? value : "";
        };
        map["hasKey"] = args =>
        {
            TemplateFunctions.Arity(args, 2, "hasKey");
            return GoValues.Lookup(args[0], Str(args[1])).Found;
        };
        map["keys"] = args => args.SelectMany(m => GoValues.MapKeys(m) ?? throw new TemplateFunctionException("keys: not a map")).Select(k => (object?)k).ToList();
        map["sha256sum"] = args => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(One(args, "sha256sum"))));
        map["indent"] = args => Indent(args, "indent");
        map["nindent"] = args => "\n" + Indent(args, "nindent");
    }

    private static string Str(object? value) => GoValues.ToStringArg(value, "");

    private static string One(IReadOnlyList<object?> args, string name)
    {
        TemplateFunctions.Arity(args, 1, name);
        return Str(args[0]);
    }

    private static (string First, string Second) Two(IReadOnlyList<object?> args, string name)
    {
        TemplateFunctions.Arity(args, 2, name);
        return (Str(args[0]), Str(args[1]));
    }

    private static string Indent(IReadOnlyList<object?> args, string name)
    {
        TemplateFunctions.Arity(args, 2, name);
        var pad = new string(' ', (int)GoValues.ToInt(args[0], name));
        return pad + Str(args[1]).Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    // strings.Replace with an empty old string inserts at every rune boundary.
    private static string InsertEverywhere(string s, string insert) =>
        insert + string.Concat(s.EnumerateRunes().Select(r => r + insert));

    /// <summary>sprig <c>empty</c>: the zero value of its type.</summary>
    public static bool Empty(object? value) => !GoValues.IsTrue(value);

    private static IEnumerable<string> StrSlice(object? value) => value switch
    {
        List<object?> list => list.Where(v => v is not null).Select(GoValues.StrVal),
        IReadOnlyList<string> strings => strings,
        null => [],
        _ => [GoValues.StrVal(value)],
    };

    // sprig base64decode: the error text instead of an error (kept for compatibility).
    private static string Base64Decode(string value)
    {
        var decoded = Sync.Decoding.TryDecodeBase64(value, urlSafe: false);
        return decoded is null ? "illegal base64 data at input byte " + Sync.Decoding.FirstBadBase64Byte(value) : Encoding.UTF8.GetString(decoded);
    }
}
