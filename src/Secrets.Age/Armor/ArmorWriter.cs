using System.Buffers.Text;
using System.Text;

namespace Secrets.Age.Armor;

/// <summary>
/// Writes the exact armor the reference produces (age.md §7): BEGIN line, padded base64 in 64-column lines, the last
/// line 1..64 columns, END line, each ending in LF, never an empty line. Call <see cref="FinishAsync"/> at the end.
/// </summary>
internal sealed class ArmorWriter(Stream output) : Stream
{
    private const int LinesPerFlush = 1024;
    private readonly byte[] _pending = new byte[ArmorLabels.BytesPerLine * LinesPerFlush];
    private readonly byte[] _encoded = new byte[(ArmorLabels.ColumnsPerLine + 1) * LinesPerFlush];
    private int _pendingLength;
    private bool _begun;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await BeginAsync(cancellationToken).ConfigureAwait(false);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _pending.Length - _pendingLength);
            buffer[..take].CopyTo(_pending.AsMemory(_pendingLength));
            _pendingLength += take;
            buffer = buffer[take..];
            if (_pendingLength == _pending.Length && !buffer.IsEmpty)
            {
                await FlushLinesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>Writes the remaining lines and the END line.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken).ConfigureAwait(false);
        await FlushLinesAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(Encoding.ASCII.GetBytes(ArmorLabels.End + "\n"), cancellationToken).ConfigureAwait(false);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        if (!_begun)
        {
            _begun = true;
            await output.WriteAsync(Encoding.ASCII.GetBytes(ArmorLabels.Begin + "\n"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushLinesAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        for (var offset = 0; offset < _pendingLength; offset += ArmorLabels.BytesPerLine)
        {
            var line = _pending.AsSpan(offset, Math.Min(ArmorLabels.BytesPerLine, _pendingLength - offset));
            Base64.EncodeToUtf8(line, _encoded.AsSpan(written), out _, out var columns);
            written += columns;
            _encoded[written++] = (byte)'\n';
        }

        _pendingLength = 0;
        await output.WriteAsync(_encoded.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
    }
}
