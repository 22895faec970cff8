using System.Text;
using Secrets.Core;

namespace Secrets.Pgp;

/// <summary>
/// OpenPGP ASCII armor (RFC 4880 §6.2, RFC 9580 §6.2) written byte-for-byte like ProtonMail go-crypto's
/// <c>armor.Encode</c>, which sops uses (sops.md §2.1 PGP row): BEGIN line, blank line, base64 in 64-column lines,
/// <c>=CRC24</c>, END line, no trailing newline. Reading is lenient where real files differ (CRLF, indentation left by
/// YAML or INI, armor headers such as <c>Version:</c>, a missing checksum) and strict where it matters (base64, CRC).
/// </summary>
internal static class PgpArmor
{
    private const string Dashes = "-----";
    private const int LineLength = 64;

    /// <summary>One armored block: its type (e.g. <c>PGP MESSAGE</c>) and decoded bytes.</summary>
    internal readonly record struct Block(string Type, byte[] Data);

    public static string Encode(string blockType, ReadOnlySpan<byte> data)
    {
        var base64 = Convert.ToBase64String(data);
        var builder = new StringBuilder(base64.Length + (base64.Length / LineLength) + 80);
        builder.Append(Dashes).Append("BEGIN ").Append(blockType).Append(Dashes).Append('\n');
        builder.Append('\n');
        for (var i = 0; i < base64.Length; i += LineLength)
        {
            builder.Append(base64, i, Math.Min(LineLength, base64.Length - i)).Append('\n');
        }

        Span<byte> crc = stackalloc byte[3];
        WriteCrc24(data, crc);
        builder.Append('=').Append(Convert.ToBase64String(crc)).Append('\n');
        builder.Append(Dashes).Append("END ").Append(blockType).Append(Dashes);
        return builder.ToString();
    }

    /// <summary>True when the text holds at least one armor BEGIN line (binary key files do not).</summary>
    public static bool LooksArmored(ReadOnlySpan<byte> data) =>
        data.IndexOf("-----BEGIN PGP "u8) >= 0;

    /// <summary>
    /// Decodes every armored block in <paramref name="text"/>; text between blocks is ignored (GnuPG and key servers
    /// put comments there). Throws <see cref="InvalidFileException"/> naming <paramref name="what"/> on malformed armor.
    /// </summary>
    public static List<Block> DecodeAll(string text, string what)
    {
        var blocks = new List<Block>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(Dashes + "BEGIN ", StringComparison.Ordinal))
            {
                continue;
            }

            if (!line.EndsWith(Dashes, StringComparison.Ordinal) || line.Length <= 16)
            {
                throw new InvalidFileException($"{what}: malformed armor line \"{Truncate(line)}\"");
            }

            var type = line[(Dashes.Length + 6)..^Dashes.Length];
            i = DecodeBody(lines, i + 1, type, what, out var data);
            blocks.Add(new Block(type, data));
        }

        return blocks;
    }

    private static int DecodeBody(string[] lines, int start, string type, string what, out byte[] data)
    {
        // Armor headers ("Version: GnuPG v2", "Comment: …") come before the blank line; base64 never holds ':', so
        // they are skipped even when a writer left out the blank line.
        var i = start;
        while (i < lines.Length && lines[i].Contains(':', StringComparison.Ordinal))
        {
            i++;
        }

        var body = new StringBuilder();
        string? checksum = null;
        var endLine = Dashes + "END " + type + Dashes;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith(Dashes, StringComparison.Ordinal))
            {
                if (!string.Equals(line, endLine, StringComparison.Ordinal))
                {
                    throw new InvalidFileException($"{what}: expected \"{endLine}\" but found \"{Truncate(line)}\"");
                }

                data = DecodeBase64(body.ToString(), what);
                VerifyChecksum(data, checksum, what);
                return i;
            }

            if (line[0] == '=' && line.Length == 5)
            {
                checksum = line[1..];
                continue;
            }

            body.Append(line);
        }

        throw new InvalidFileException($"{what}: armor has no \"{endLine}\" line");
    }

    private static byte[] DecodeBase64(string body, string what)
    {
        var buffer = new byte[(body.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(body, buffer, out var written))
        {
            throw new InvalidFileException($"{what}: armor body is not valid base64");
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    private static void VerifyChecksum(byte[] data, string? checksum, string what)
    {
        // RFC 9580 §6.2.2: the checksum is optional; when present it must match.
        if (checksum is null)
        {
            return;
        }

        Span<byte> expected = stackalloc byte[3];
        if (!Convert.TryFromBase64String(checksum, expected, out var written) || written != 3)
        {
            throw new InvalidFileException($"{what}: armor checksum \"={checksum}\" is not valid base64");
        }

        Span<byte> actual = stackalloc byte[3];
        WriteCrc24(data, actual);
        if (!actual.SequenceEqual(expected))
        {
            throw new InvalidFileException($"{what}: armor checksum mismatch (the message was altered or truncated)");
        }
    }

    /// <summary>CRC-24 of RFC 4880 §6.1 (init 0xB704CE, generator 0x1864CFB), big-endian.</summary>
    internal static void WriteCrc24(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        const int Init = 0xB704CE;
        const int Poly = 0x1864CFB;
        var crc = Init;
        foreach (var b in data)
        {
            crc ^= b << 16;
            for (var bit = 0; bit < 8; bit++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= Poly;
                }
            }
        }

        destination[0] = (byte)(crc >> 16);
        destination[1] = (byte)(crc >> 8);
        destination[2] = (byte)crc;
    }

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
