namespace Secrets.Cli.Io;

/// <summary>
/// Writes a file so that the destination holds either its old content or the complete new content, never a
/// half-written file: data goes to a temporary file beside the destination (mode 0600, since it may hold
/// plaintext), which is renamed over the destination on <see cref="CommitAsync"/> and deleted otherwise.
/// </summary>
internal sealed class AtomicFile : IAsyncDisposable
{
    private readonly string _destination;
    private readonly string _temporary;
    private readonly UnixFileMode? _finalMode;
    private bool _committed;

    private AtomicFile(string destination, string temporary, FileStream stream, UnixFileMode? finalMode)
    {
        _destination = destination;
        _temporary = temporary;
        _finalMode = finalMode;
        Stream = stream;
    }

    public FileStream Stream { get; }

    /// <summary>Starts writing <paramref name="destination"/>; the final mode is the existing file's, or <paramref name="newFileMode"/>.</summary>
    public static AtomicFile Create(string destination, UnixFileMode newFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var full = Path.GetFullPath(destination);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(temporary, options);
        UnixFileMode? finalMode = null;
        if (!OperatingSystem.IsWindows())
        {
            finalMode = File.Exists(full) ? File.GetUnixFileMode(full) : newFileMode;
        }

        return new AtomicFile(full, temporary, stream, finalMode);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="destination"/> atomically.</summary>
    /// <remarks>
    /// Written on the calling thread: a FileStream's async methods queue each write to the thread pool on Unix, a
    /// thread start and hand-off that costs a small output more than the write (see <see cref="SynchronousStream"/>).
    /// </remarks>
    public static async Task WriteAllBytesAsync(string destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var file = Create(destination);
        file.Stream.Write(content.Span);
        file.Stream.Flush();
        await file.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Stream.Flush(flushToDisk: true);
        await Stream.DisposeAsync().ConfigureAwait(false);
        if (_finalMode is { } mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_temporary, mode);
        }

        File.Move(_temporary, _destination, overwrite: true);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (IOException)
            {
                // Best effort: the temporary file has an unguessable name and mode 0600.
            }
        }
    }
}
