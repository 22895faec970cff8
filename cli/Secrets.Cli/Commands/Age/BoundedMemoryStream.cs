using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary>A memory stream that refuses to grow past a limit (decrypted output held back for a terminal).</summary>
internal sealed class BoundedMemoryStream(int limit) : MemoryStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Check(count);
        base.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Check(count);
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    private void Check(int count)
    {
        if (Length + count > limit)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"the plaintext is larger than {limit / (1024 * 1024)} MiB and stdout is a terminal")
            {
                Hints = ["use -o FILE, or redirect the output"],
            };
        }
    }
}
