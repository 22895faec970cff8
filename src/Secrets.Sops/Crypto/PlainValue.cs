using System.Globalization;
using System.Text;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Crypto;

/// <summary>The bytes a value is encrypted and hashed as, and its <c>type:</c> name (sops.md §1.1).</summary>
public static class PlainValue
{
    public static string TypeName(object value) => value switch
    {
        string or RawString => "str",
        long or int => "int",
        double => "float",
        bool => "bool",
        DateTimeOffset => "time",
        Comment => "comment",
        byte[] => "bytes",
        _ => throw new InvalidFileException($"cannot encrypt a value of type {value.GetType().Name}"),
    };

    /// <summary>sops' ToBytes: str as UTF-8, Itoa, FormatFloat 'f' -1, True/False, RFC3339Nano, comment text.</summary>
    public static byte[] ToBytes(object value) => value switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        byte[] b => b,
        RawString raw => raw.Bytes.ToArray(), // a copy: the walker wipes plaintext copies once hashed
        _ => Encoding.UTF8.GetBytes(ToText(value)),
    };

    public static string ToText(object value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => GoFormat.FloatFixed(d),
        bool b => b ? "True" : "False",
        DateTimeOffset t => GoFormat.Time(t),
        Comment c => c.Text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        RawString raw => raw.ToString(),
        EncText enc => enc.ToString(),
        PendingEnc pending => pending.ToString(),
        _ => throw new InvalidFileException($"cannot serialize a value of type {value.GetType().Name}"),
    };

    /// <summary>The value back from decrypted bytes; a type sops does not know is malformed input.</summary>
    public static object FromBytes(string type, byte[] plaintext, string path)
    {
        var text = Encoding.UTF8.GetString(plaintext);
        return type switch
        {
            "str" => System.Text.Unicode.Utf8.IsValid(plaintext) ? text : new RawString(plaintext.ToArray()),
            "int" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw Bad(type, path),
            "float" => ParseFloat(text) ?? throw Bad(type, path),
            "bool" => ParseBool(text) ?? throw Bad(type, path),
            "time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw Bad(type, path),
            "comment" => new Comment(text),
            "bytes" => plaintext,
            _ => throw new InvalidFileException($"unknown datatype \"{type}\" at \"{path}\""),
        };
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    public static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    private static double? ParseFloat(string text) => text switch
    {
        "+Inf" or "Inf" or "inf" or "+inf" => double.PositiveInfinity,
        "-Inf" or "-inf" => double.NegativeInfinity,
        "NaN" or "nan" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
    };

    private static InvalidFileException Bad(string type, string path) => new($"value at \"{path}\" is not a valid {type}");
}
