using System.Diagnostics;
using Secrets.Core;

namespace Secrets.Cli.Commands.Sops;

/// <summary>Runs a shell command line (editor, exec-env, exec-file) with the terminal attached and returns its status.</summary>
internal static class ChildProcess
{
    public static async Task<int> RunShellAsync(string commandLine, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, bool pristine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        start.ArgumentList.Add("sh");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (pristine)
        {
            start.Environment.Clear();
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new SecretsOperationException(ErrorKind.General, $"cannot start \"{commandLine}\"");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>A private folder (0700) for plaintext temp files; the caller deletes it.</summary>
    public static DirectoryInfo PrivateTempDirectory() =>
        OperatingSystem.IsWindows() ? Directory.CreateTempSubdirectory("secrets-") : Directory.CreateTempSubdirectory("secrets-");

    public static async Task WritePrivateFileAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
    }

    public static void DeleteQuietly(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the folder is private to the user.
        }
    }
}
