using System.Text;
using Secrets.Age.Format;

namespace Secrets.Age.Armor;

/// <summary>
/// Streams the bytes out of an armored age file, enforcing age.md §7: at most 1024 bytes of whitespace around the
/// block, exact BEGIN/END lines, LF or CRLF line ends, data lines of strict padded canonical base64 that are all 64
/// columns except a last shorter one directly followed by END, nothing but whitespace after END.
/// </summary>
internal sealed class ArmorReader(BufferedInput input) : Stream
{
    // A data line is 64 columns, plus an optional CR; anything longer is malformed.
    private const int MaxLineLength = ArmorLabels.ColumnsPerLine + 1;

    private byte[] _decoded = [];
    private int _decodedPosition;
    private bool _begun;
    private bool _lastDataLine;
    private bool _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            if (_decodedPosition == _decoded.Length)
            {
                if (_ended || !await NextLineAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            var take = Math.Min(buffer.Length - total, _decoded.Length - _decodedPosition);
            _decoded.AsMemory(_decodedPosition, take).CopyTo(buffer[total..]);
            _decodedPosition += take;
            total += take;
        }

        return total;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Decodes the next data line; false once the END line and the trailing whitespace were checked.</summary>
    private async Task<bool> NextLineAsync(CancellationToken cancellationToken)
    {
        if (!_begun)
        {
            await SkipLeadingWhitespaceAsync(cancellationToken).ConfigureAwait(false);
            var begin = await ReadLineAsync(ArmorLabels.Begin.Length + 1, cancellationToken).ConfigureAwait(false);
            if (begin != ArmorLabels.Begin)
            {
                throw new ArmorFormatException("the BEGIN line is not \"" + ArmorLabels.Begin + "\"");
            }

            _begun = true;
        }

        var line = await ReadLineAsync(MaxLineLength, cancellationToken).ConfigureAwait(false)
            ?? throw new ArmorFormatException("the END line is missing");
        if (line == ArmorLabels.End)
        {
            await CheckTrailingWhitespaceAsync(cancellationToken).ConfigureAwait(false);
            _ended = true;
            return false;
        }

        if (_lastDataLine)
        {
            throw new ArmorFormatException("a short line is not followed by the END line");
        }

        _decoded = DecodeLine(line);
        _decodedPosition = 0;
        _lastDataLine = _decoded.Length < ArmorLabels.BytesPerLine;
        return true;
    }

    private static byte[] DecodeLine(string line)
    {
        // Strict padded canonical base64 (RFC 7468 strict grammar); empty lines, whitespace and PEM headers fail here.
        if (line.Length == 0 || line.Length > ArmorLabels.ColumnsPerLine || line.Length % 4 != 0)
        {
            throw new ArmorFormatException("a line has an invalid length");
        }

        var padding = line.EndsWith("==", StringComparison.Ordinal) ? 2 : line.EndsWith('=') ? 1 : 0;
        if (line.AsSpan(0, line.Length - padding).ContainsAnyExcept(Base64Chars))
        {
            throw new ArmorFormatException("a line has an invalid character");
        }

        var decoded = Convert.FromBase64String(line);
        if (Convert.ToBase64String(decoded) != line)
        {
            throw new ArmorFormatException("a line is not canonical base64");
        }

        return decoded;
    }

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    /// <summary>A line without its LF or CRLF; the last line may lack a line end. Null at EOF.</summary>
    private async Task<string?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var available = await input.PeekAsync(maxLength + 1, cancellationToken).ConfigureAwait(false);
        if (available.IsEmpty)
        {
            return null;
        }

        var newline = available.Span.IndexOf((byte)'\n');
        var length = newline < 0 ? available.Length : newline;
        if (length > maxLength)
        {
            throw new ArmorFormatException("a line is longer than 64 columns");
        }

        var bytes = new byte[length];
        await input.ReadFullyAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (newline >= 0)
        {
            await input.ReadFullyAsync(new byte[1], cancellationToken).ConfigureAwait(false);
        }

        var end = length > 0 && bytes[^1] == (byte)'\r' ? length - 1 : length;
        if (bytes.AsSpan(0, end).ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
        {
            throw new ArmorFormatException("a line has an invalid character");
        }

        return Encoding.ASCII.GetString(bytes, 0, end);
    }

    private async Task SkipLeadingWhitespaceAsync(CancellationToken cancellationToken)
    {
        var start = await input.PeekAsync(ArmorLabels.MaxOuterWhitespace + 1, cancellationToken).ConfigureAwait(false);
        var count = 0;
        while (count < start.Length && ArmorLabels.IsWhitespace(start.Span[count]))
        {
            count++;
        }

        if (count > ArmorLabels.MaxOuterWhitespace)
        {
            throw new ArmorFormatException("too much whitespace before the BEGIN line");
        }

        await input.ReadFullyAsync(new byte[count], cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckTrailingWhitespaceAsync(CancellationToken cancellationToken)
    {
        var rest = await input.PeekAsync(ArmorLabels.MaxOuterWhitespace + 1, cancellationToken).ConfigureAwait(false);
        if (rest.Length > ArmorLabels.MaxOuterWhitespace)
        {
            throw new ArmorFormatException("too much data after the END line");
        }

        foreach (var b in rest.Span)
        {
            if (!ArmorLabels.IsWhitespace(b))
            {
                throw new ArmorFormatException("data after the END line");
            }
        }
    }
}
