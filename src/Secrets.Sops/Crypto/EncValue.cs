using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;
using Secrets.Core;

namespace Secrets.Sops.Crypto;

/// <summary>The <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c> text form (sops.md §1).</summary>
public sealed partial record EncValue(byte[] Data, byte[] Iv, byte[] Tag, string Type)
{
    private const string Prefix = "ENC[AES256_GCM,data:";

    private static readonly SearchValues<char> Base64Chars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    public static bool LooksEncrypted(string text) => text.StartsWith("ENC[AES256_GCM,", StringComparison.Ordinal);

    /// <summary>Parses with sops' own (greedy, end-unanchored) pattern; anything else is malformed.</summary>
    public static EncValue Parse(string text, string path) => TryParseCanonical(text) ?? ParseWithPattern(text, path);

    public override string ToString() => Format(Data, Iv, Tag, Type);

    /// <summary>The text form, made from <see cref="FormatUtf8"/>'s bytes in a stack or pooled buffer.</summary>
    public static string Format(ReadOnlySpan<byte> data, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> tag, string type)
    {
        var length = FormattedLength(data.Length, iv.Length, tag.Length, type);
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return Encoding.UTF8.GetString(bytes[..FormatUtf8(data, iv, tag, type, bytes)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The length of the text form in UTF-8 bytes (all ASCII but an odd <c>type</c> read from a file).</summary>
    public static int FormattedLength(int dataLength, int ivLength, int tagLength, string type) =>
        Prefix.Length + Base64Length(dataLength) + ",iv:".Length + Base64Length(ivLength) + ",tag:".Length + Base64Length(tagLength) + ",type:".Length + Encoding.UTF8.GetByteCount(type) + 1;

    /// <summary>Writes the text form as UTF-8 into <paramref name="destination"/> (<see cref="FormattedLength"/> bytes long at least); returns its length.</summary>
    public static int FormatUtf8(ReadOnlySpan<byte> data, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> tag, string type, Span<byte> destination)
    {
        var at = 0;
        Append(destination, ref at, Prefix);
        AppendBase64(destination, ref at, data);
        Append(destination, ref at, ",iv:");
        AppendBase64(destination, ref at, iv);
        Append(destination, ref at, ",tag:");
        AppendBase64(destination, ref at, tag);
        Append(destination, ref at, ",type:");
        Append(destination, ref at, type);
        Append(destination, ref at, "]");
        return at;
    }

    private static int Base64Length(int length) => (length + 2) / 3 * 4;

    private static void Append(Span<byte> bytes, ref int at, string part) => at += Encoding.UTF8.GetBytes(part, bytes[at..]);

    private static void AppendBase64(Span<byte> bytes, ref int at, ReadOnlySpan<byte> data)
    {
        _ = Base64.EncodeToUtf8(data, bytes[at..], out _, out var written);
        at += written;
    }

    /// <summary>
    /// The form sops and we write: base64 fields without commas and a lower-case type closing the string. The greedy
    /// pattern has exactly one match then, the one found here, so the regex is needed only for odd input.
    /// </summary>
    private static EncValue? TryParseCanonical(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || !text.EndsWith(']'))
        {
            return null;
        }

        var rest = text.AsSpan(Prefix.Length, text.Length - Prefix.Length - 1);
        if (!Field(ref rest, ",iv:", out var data) || !Field(ref rest, ",tag:", out var iv) || !Field(ref rest, ",type:", out var tag))
        {
            return null;
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return null;
            }
        }

        if (rest.IsEmpty || Decode(data) is not { Length: > 0 } dataBytes || Decode(iv) is not { } ivBytes || Decode(tag) is not { } tagBytes)
        {
            return null;
        }

        return new EncValue(dataBytes, ivBytes, tagBytes, TypeName(rest));
    }

    /// <summary>The base64 text before <paramref name="separator"/>; false when it holds anything else.</summary>
    private static bool Field(ref ReadOnlySpan<char> rest, string separator, out ReadOnlySpan<char> field)
    {
        var end = rest.IndexOf(separator, StringComparison.Ordinal);
        field = end > 0 ? rest[..end] : default;
        if (end <= 0)
        {
            return false;
        }

        if (field.ContainsAnyExcept(Base64Chars))
        {
            return false;
        }

        rest = rest[(end + separator.Length)..];
        return true;
    }

    private static byte[]? Decode(ReadOnlySpan<char> base64)
    {
        var bytes = new byte[(base64.Length * 3) / 4];
        return Convert.TryFromBase64Chars(base64, bytes, out var written) ? (written == bytes.Length ? bytes : bytes[..written]) : null;
    }

    /// <summary>The common type names without a new string per value.</summary>
    private static string TypeName(ReadOnlySpan<char> type) => type switch
    {
        "str" => "str",
        "int" => "int",
        "float" => "float",
        "bool" => "bool",
        "comment" => "comment",
        "bytes" => "bytes",
        "time" => "time",
        _ => type.ToString(),
    };

    private static EncValue ParseWithPattern(string text, string path)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new InvalidFileException($"value at \"{path}\" is not a valid ENC[AES256_GCM,…] value")
            {
                Hints = ["the file was edited by hand or truncated; restore it from version control"],
            };
        }

        try
        {
            return new EncValue(
                Convert.FromBase64String(match.Groups[1].Value),
                Convert.FromBase64String(match.Groups[2].Value),
                Convert.FromBase64String(match.Groups[3].Value),
                match.Groups[4].Value);
        }
        catch (FormatException ex)
        {
            throw new InvalidFileException($"value at \"{path}\" has invalid base64 in its ENC[…] fields", ex);
        }
    }

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
