using Secrets.Core;

namespace Secrets.Cli;

/// <summary>
/// The one place that turns a failure into <c>error: …</c> and <c>hint: …</c> lines and an exit code
/// (age's tui.go style). Stack traces only with SECRETS_DEBUG=1.
/// </summary>
internal sealed class ErrorReporter(CliContext context)
{
    /// <summary>Prints the failure; <paramref name="subject"/> (a file of a multi-file command) prefixes the error line.</summary>
    public int Report(Exception exception, string? subject = null)
    {
        var prefix = subject is null ? "" : $"{subject}: ";
        switch (exception)
        {
            case SecretsException secrets:
                Error(prefix + secrets.Message);
                if (secrets is NoMatchingKeyException noMatch)
                {
                    foreach (var attempt in noMatch.Attempts)
                    {
                        Line($"  {attempt}");
                    }
                }

                foreach (var hint in secrets.Hints)
                {
                    Hint(hint);
                }

                Debug(exception);
                return ExitCodes.For(secrets.Kind);
            case OperationCanceledException:
                Error(prefix + "interrupted");
                return ExitCodes.Interrupted;
            case FileNotFoundException or DirectoryNotFoundException:
                Error(prefix + exception.Message);
                return ExitCodes.NoFile;
            case UnauthorizedAccessException or IOException:
                Error(prefix + exception.Message);
                Debug(exception);
                return ExitCodes.Error;
            default:
                Error($"{prefix}unexpected failure: {exception.GetType().Name}: {exception.Message}");
                Hint("this is a bug; please report it with the command you ran (run with SECRETS_DEBUG=1 for details)");
                Debug(exception);
                return ExitCodes.Error;
        }
    }

    public void Error(string message) => Line($"error: {message}");

    public void Hint(string message) => Line($"hint: {message}");

    public void Warning(string message) => Line($"warning: {message}");

    private void Line(string text)
    {
        context.StdErr.WriteLine(text);
        context.StdErr.Flush();
    }

    private void Debug(Exception exception)
    {
        if (context.GetEnvironmentVariable("SECRETS_DEBUG") is "1" or "true")
        {
            Line(exception.ToString());
        }
    }
}
