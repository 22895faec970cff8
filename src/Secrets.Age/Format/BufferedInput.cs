namespace Secrets.Age.Format;

/// <summary>
/// A read buffer over the input stream that the header parser reads lines from and the payload reader then
/// continues on, so no byte is read twice or lost between the two (and the armor sniffer can peek).
/// </summary>
/// <remarks>
/// 8 KiB holds the header of a file with dozens of recipients and the armor sniff; the payload is read straight into
/// the payload reader's buffers (<see cref="ReadFullyAsync"/>), so a larger buffer would only be cleared for nothing.
/// </remarks>
internal sealed class BufferedInput(Stream stream, int capacity = 8 * 1024)
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _position;
    private int _length;

    /// <summary>Makes at least <paramref name="count"/> bytes available (fewer only at EOF) and returns what is buffered.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        if (_length - _position < count)
        {
            Compact();
            while (_length < count)
            {
                var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                _length += read;
            }
        }

        return _buffer.AsMemory(_position, _length - _position);
    }

    /// <summary>Reads one line without its LF; null at EOF before an LF or when the line exceeds <paramref name="maxLength"/>.</summary>
    public async ValueTask<byte[]?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_position == _length)
            {
                _position = _length = 0;
                _length = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_length == 0)
                {
                    return null;
                }
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span.Length : newline;
            if (line.Count + take > maxLength)
            {
                return null;
            }

            line.AddRange(span[..take]);
            _position += take;
            if (newline >= 0)
            {
                _position++;
                return [.. line];
            }
        }
    }

    /// <summary>Reads until <paramref name="destination"/> is full or EOF; returns the count read.</summary>
    public async ValueTask<int> ReadFullyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var total = Math.Min(destination.Length, _length - _position);
        _buffer.AsMemory(_position, total).CopyTo(destination);
        _position += total;
        while (total < destination.Length)
        {
            var read = await stream.ReadAsync(destination[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private void Compact()
    {
        if (_position > 0)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _length - _position);
            _length -= _position;
            _position = 0;
        }
    }
}
