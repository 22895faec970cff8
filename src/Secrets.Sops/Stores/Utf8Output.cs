using System.Text;

namespace Secrets.Sops.Stores;

/// <summary>
/// A file being written as UTF-8, in fixed-size chunks: no UTF-16 string of the whole file and no doubling buffer, so
/// writing a big file costs its bytes twice at most (the chunks, then the exact-size result of <see cref="ToArray"/>).
/// With a sink, each full chunk is written to it and the chunk reused: the file is never held in memory.
/// </summary>
internal sealed class Utf8Output(Stream? sink = null)
{
    private const int ChunkSize = 1 << 16;
    private readonly List<byte[]> _full = [];
    private byte[] _chunk = new byte[ChunkSize];
    private int _used;
    private char _highSurrogate;

    /// <summary>One UTF-16 unit; a surrogate pair is written when its second half arrives.</summary>
    public void Put(char c)
    {
        if (_highSurrogate != 0 && char.IsLowSurrogate(c))
        {
            Encode([_highSurrogate, c]);
            _highSurrogate = '\0';
            return;
        }

        FlushSurrogate();
        if (c < 0x80)
        {
            if (_used == _chunk.Length)
            {
                NextChunk(1);
            }

            _chunk[_used++] = (byte)c;
        }
        else if (char.IsHighSurrogate(c))
        {
            _highSurrogate = c;
        }
        else
        {
            Encode([c]);
        }
    }

    /// <summary>Bytes that are already UTF-8.</summary>
    public void PutUtf8(ReadOnlySpan<byte> bytes)
    {
        FlushSurrogate();
        if (_chunk.Length - _used < bytes.Length)
        {
            NextChunk(bytes.Length);
        }

        bytes.CopyTo(_chunk.AsSpan(_used));
        _used += bytes.Length;
    }

    public void PutText(ReadOnlySpan<char> text)
    {
        FlushSurrogate();
        Encode(text);
    }

    /// <summary>Writes what is left to the sink.</summary>
    public void Finish()
    {
        FlushSurrogate();
        sink!.Write(_chunk, 0, _used);
        _used = 0;
    }

    public byte[] ToArray()
    {
        FlushSurrogate();
        var length = _used;
        foreach (var chunk in _full)
        {
            length += chunk.Length;
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var chunk in _full)
        {
            chunk.CopyTo(bytes, at);
            at += chunk.Length;
        }

        _chunk.AsSpan(0, _used).CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>A high surrogate without its low half is written as U+FFFD, as Encoding.UTF8 writes it.</summary>
    private void FlushSurrogate()
    {
        if (_highSurrogate != 0)
        {
            var lone = _highSurrogate;
            _highSurrogate = '\0';
            Encode([lone]);
        }
    }

    private void Encode(ReadOnlySpan<char> text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_chunk.Length - _used < most)
        {
            NextChunk(most);
        }

        _used += Encoding.UTF8.GetBytes(text, _chunk.AsSpan(_used));
    }

    private void NextChunk(int atLeast)
    {
        if (sink is not null)
        {
            sink.Write(_chunk, 0, _used);
            _used = 0;
            if (_chunk.Length < atLeast)
            {
                _chunk = new byte[atLeast];
            }

            return;
        }

        _full.Add(_used == _chunk.Length ? _chunk : _chunk[.._used]);
        _chunk = new byte[Math.Max(ChunkSize, atLeast)];
        _used = 0;
    }
}
