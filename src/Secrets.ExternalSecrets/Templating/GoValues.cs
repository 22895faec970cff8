using System.Globalization;
using System.Text;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// Template values mirror Go's dynamic types: string, long (int), double (float64), bool, null (nil),
/// <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string (the ESO data context, map[string]string),
/// <see cref="Dictionary{TKey,TValue}"/> of object (map[string]interface{}) and <see cref="List{T}"/> of object ([]interface{}).
/// </summary>
internal static class GoValues
{
    /// <summary>Go's truth: false, 0, nil, "" and empty maps/lists are false (text/template <c>isTrue</c>).</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        IReadOnlyDictionary<string, string> m => m.Count > 0,
        Dictionary<string, object?> m => m.Count > 0,
        List<object?> l => l.Count > 0,
        _ => true,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        long => "int",
        double => "float64",
        bool => "bool",
        IReadOnlyDictionary<string, string> => "map[string]string",
        Dictionary<string, object?> => "map[string]interface {}",
        List<object?> => "[]interface {}",
        _ => value.GetType().Name,
    };

    /// <summary>What <c>{{ x }}</c> writes: fmt's <c>%v</c>, with nil printed as <c>&lt;no value&gt;</c>.</summary>
    public static string Print(object? value) => value is null ? "<no value>" : Format(value);

    /// <summary>fmt <c>%v</c>: maps as <c>map[k:v]</c> with sorted keys, lists as <c>[a b]</c>, nil as <c>&lt;nil&gt;</c>.</summary>
    public static string Format(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("<nil>");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(GoFloat.FormatGeneral(d));
                break;
            case IReadOnlyDictionary<string, string> map:
                AppendMap(sb, map.Select(kv => KeyValuePair.Create(kv.Key, (object?)kv.Value)));
                break;
            case Dictionary<string, object?> map:
                AppendMap(sb, map);
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }

                    Append(sb, list[i]);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(value);
                break;
        }
    }

    private static void AppendMap(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> entries)
    {
        sb.Append("map[");
        var first = true;
        foreach (var (key, item) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            sb.Append(key).Append(':');
            Append(sb, item);
        }

        sb.Append(']');
    }

    /// <summary>Sorted keys of a map value, or null when it is not a map.</summary>
    public static IReadOnlyList<string>? MapKeys(object? value) => value switch
    {
        IReadOnlyDictionary<string, string> m => [.. m.Keys.Order(StringComparer.Ordinal)],
        Dictionary<string, object?> m => [.. m.Keys.Order(StringComparer.Ordinal)],
        _ => null,
    };

    /// <summary>Map lookup: (found, value). A missing key of a map[string]string yields "" (Go's zero value) when found is false.</summary>
    public static (bool Found, object? Value) Lookup(object? map, string key) => map switch
    {
        IReadOnlyDictionary<string, string> m => m.TryGetValue(key, out var s) ? (true, s) : (false, ""),
        Dictionary<string, object?> m => m.TryGetValue(key, out var v) ? (true, v) : (false, null),
        _ => throw new TemplateFunctionException($"can't index item of type {TypeName(map)}"),
    };

    public static bool IsMap(object? value) => value is IReadOnlyDictionary<string, string> or Dictionary<string, object?>;

    public static long ToInt(object? value, string what) => value switch
    {
        long l => l,
        double d when d == Math.Floor(d) => (long)d,
        _ => throw new TemplateFunctionException($"{what}: expected an integer, got {TypeName(value)}"),
    };

    public static string ToStringArg(object? value, string function) => value as string
        ?? throw new TemplateFunctionException($"wrong type for value; expected string; got {TypeName(value)}");

    /// <summary>text/template <c>eq</c>: basic values of comparable kinds; ints and floats compare by value.</summary>
    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        (long x, long y) => x == y,
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (double x, double y) => x == y,
        _ => throw new TemplateFunctionException($"incompatible types for comparison: {TypeName(a)} and {TypeName(b)}"),
    };

    /// <summary>text/template <c>lt</c> and friends: strings or numbers.</summary>
    public static int Compare(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        _ => throw new TemplateFunctionException($"incompatible types for comparison: {TypeName(a)} and {TypeName(b)}"),
    };

    /// <summary>sprig <c>strval</c>: strings as is, everything else via <c>%v</c>.</summary>
    public static string StrVal(object? value) => value as string ?? Format(value);
}
