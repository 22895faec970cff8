using Secrets.Cli.Io;
using Secrets.Core;

namespace Secrets.Cli.Commands.Age;

/// <summary>Inputs and outputs of the age commands with age's conventions: a path or <c>-</c>/nothing for stdin/stdout.</summary>
internal static class AgeIo
{
    public static bool IsStdio(string? path) => path is null or "-";

    /// <summary>Opens a file for reading, or standard input.</summary>
    public static Stream OpenInput(CliContext context, string? path, string what)
    {
        if (IsStdio(path))
        {
            return new SynchronousStream(context.StdIn, leaveOpen: true);
        }

        var full = context.ResolvePath(path!);
        if (!File.Exists(full))
        {
            throw new SecretsOperationException(ErrorKind.InputNotFound, $"{what} \"{path}\" does not exist");
        }

        try
        {
            // Unbuffered: every reader here reads in blocks of 64 KiB or more.
            return new SynchronousStream(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0), leaveOpen: false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SecretsOperationException(ErrorKind.InputNotFound, $"cannot read {what} \"{path}\": {error.Message}", error);
        }
    }

    public static TextReader OpenText(CliContext context, string? path, string what) => new StreamReader(OpenInput(context, path, what));

    /// <summary>
    /// Runs <paramref name="write"/> against the output: a file written atomically (a failure leaves no file and
    /// the old content, if any), or standard output.
    /// </summary>
    public static async Task WriteAsync(CliContext context, string? path, Func<Stream, Task> write, CancellationToken cancellationToken, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        if (IsStdio(path))
        {
            await write(context.StdOut).ConfigureAwait(false);
            await context.StdOut.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        AtomicFile file;
        try
        {
            file = AtomicFile.Create(context.ResolvePath(path!), mode);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SecretsOperationException(ErrorKind.OutputFailed, $"cannot write \"{path}\": {error.Message}", error);
        }

        await using (file.ConfigureAwait(false))
        {
            await write(new SynchronousStream(file.Stream, leaveOpen: true)).ConfigureAwait(false);
            try
            {
                await file.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new SecretsOperationException(ErrorKind.OutputFailed, $"cannot write \"{path}\": {error.Message}", error);
            }
        }
    }

    /// <summary>Passphrases come from the terminal only, as in age.</summary>
    public static string ReadPassphrase(CliContext context, string prompt) =>
        context.ReadSecret(prompt) ?? throw new SecretsOperationException(ErrorKind.Usage, "cannot read a passphrase: there is no terminal")
        {
            Hints = ["passphrases are read from the terminal only; use an age key (-r/-i) in scripts"],
        };
}
