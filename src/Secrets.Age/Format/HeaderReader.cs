using System.Text;
using Secrets.Core;

namespace Secrets.Age.Format;

/// <summary>
/// Parses an age header with every strictness rule of age.md §3 and §12: exact version line, LF only, stanza
/// grammar (one space between arguments, VCHAR only), 64-column canonical unpadded base64 bodies ending with a
/// short line, and the <c>--- MAC</c> line.
/// </summary>
internal static class HeaderReader
{
    public const string VersionLine = "age-encryption.org/v1";

    // Bounds memory on hostile input; a hybrid stanza line is ~1.5 KiB, so this allows thousands of recipients.
    private const int MaxLineLength = 64 * 1024;
    private const int MaxHeaderLength = 16 * 1024 * 1024;

    public static async Task<Header> ReadAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        var raw = new MemoryStream();
        var version = await NextLineAsync(input, raw, cancellationToken).ConfigureAwait(false);
        if (version is null || !version.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(VersionLine)))
        {
            throw Fail(version is null ? "the file is empty or not an age file" : "unsupported or malformed version line");
        }

        var stanzas = new List<Stanza>();
        while (true)
        {
            var line = await NextLineAsync(input, raw, cancellationToken).ConfigureAwait(false) ?? throw Fail("the header ends before the MAC line");
            if (line.AsSpan().StartsWith("-> "u8))
            {
                var args = ParseArguments(line);
                var body = await ReadBodyAsync(input, raw, cancellationToken).ConfigureAwait(false);
                stanzas.Add(new Stanza(args[0], args[1..], body));
            }
            else if (line.AsSpan().StartsWith("---"u8))
            {
                var macInput = raw.ToArray()[..(int)(raw.Length - line.Length - 1 + 3)];
                return new Header(stanzas, ParseMac(line), macInput);
            }
            else
            {
                throw Fail("a header line does not start with \"-> \" or \"---\"");
            }
        }
    }

    private static async Task<byte[]?> NextLineAsync(BufferedInput input, MemoryStream raw, CancellationToken cancellationToken)
    {
        var line = await input.ReadLineAsync(MaxLineLength, cancellationToken).ConfigureAwait(false);
        if (line is not null)
        {
            raw.Write(line);
            raw.WriteByte((byte)'\n');
            if (raw.Length > MaxHeaderLength)
            {
                throw Fail("the header is too large");
            }
        }

        return line;
    }

    private static string[] ParseArguments(byte[] line)
    {
        var text = Encoding.ASCII.GetString(line, 3, line.Length - 3);
        var args = text.Split(' ');
        foreach (var arg in args)
        {
            if (arg.Length == 0)
            {
                throw Fail("a stanza has an empty argument or no arguments");
            }

            // argument = 1*VCHAR (age.md §3)
            if (arg.Any(c => c is < (char)0x21 or > (char)0x7e))
            {
                throw Fail("a stanza argument has an invalid character");
            }
        }

        if (line.Any(b => b > 0x7e))
        {
            throw Fail("a stanza argument has an invalid character");
        }

        return args;
    }

    private static async Task<byte[]> ReadBodyAsync(BufferedInput input, MemoryStream raw, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            var line = await NextLineAsync(input, raw, cancellationToken).ConfigureAwait(false) ?? throw Fail("a stanza body is not terminated");
            if (line.Length > 64)
            {
                throw Fail("a stanza body line is longer than 64 columns");
            }

            if (line.Any(b => !StrictBase64.IsBase64Char((char)b)))
            {
                throw Fail("a stanza body line is not base64 (or the stanza lacks its final short line)");
            }

            text.Append(Encoding.ASCII.GetString(line));
            if (line.Length < 64)
            {
                break;
            }
        }

        return StrictBase64.TryDecode(text.ToString(), out var body) ? body : throw Fail("a stanza body is not canonical base64");
    }

    private static byte[] ParseMac(byte[] line)
    {
        // "--- " + 43 base64 characters (32 bytes)
        if (line.Length != 4 + 43 || line[3] != (byte)' ')
        {
            throw Fail("malformed MAC line");
        }

        return StrictBase64.TryDecode(Encoding.ASCII.GetString(line, 4, 43), out var mac) && mac.Length == 32
            ? mac
            : throw Fail("malformed MAC line");
    }

    private static InvalidFileException Fail(string reason) => new($"invalid age header: {reason}");
}
