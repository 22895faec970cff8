namespace Secrets.Age.Armor;

/// <summary>The PEM lines of an armored age file (age.md §7: strict RFC 7468, label <c>AGE ENCRYPTED FILE</c>).</summary>
internal static class ArmorLabels
{
    public const string Begin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string End = "-----END AGE ENCRYPTED FILE-----";

    /// <summary>Bytes per 64-column line.</summary>
    public const int BytesPerLine = 48;
    public const int ColumnsPerLine = 64;

    /// <summary>Whitespace allowed around the armor, at most this many bytes on each side.</summary>
    public const int MaxOuterWhitespace = 1024;

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    /// <summary>
    /// Whether a file looks armored: after at most 1024 bytes of whitespace it starts with <c>-----BEGIN</c>. Binary
    /// age files never start with dashes, so a malformed BEGIN line is reported as an armor error, not a header one.
    /// </summary>
    public static bool LooksArmored(ReadOnlySpan<byte> start)
    {
        var i = 0;
        while (i < start.Length && i < MaxOuterWhitespace && IsWhitespace(start[i]))
        {
            i++;
        }

        return start[i..].StartsWith("-----BEGIN"u8);
    }
}
