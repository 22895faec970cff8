namespace Secrets.Age.Format;

/// <summary>
/// The header's base64 (age.md §2): standard alphabet, no <c>=</c> padding, canonical (unused low bits of the last
/// character are zero). <see cref="Convert.FromBase64String"/> tolerates whitespace and non-canonical bits, so the
/// decoder checks the alphabet and length, then re-encodes and compares.
/// </summary>
public static class StrictBase64
{
    /// <summary>Unpadded standard base64.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Decodes canonical unpadded base64; false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsBase64Char(c))
            {
                return false;
            }
        }

        var padded = string.Concat(text, new string('=', (4 - (text.Length % 4)) % 4));
        var decoded = Convert.FromBase64String(padded);
        if (!Encode(decoded).AsSpan().SequenceEqual(text))
        {
            return false;
        }

        data = decoded;
        return true;
    }

    /// <summary>The base64 alphabet without padding.</summary>
    public static bool IsBase64Char(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/';
}
