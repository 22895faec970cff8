using Secrets.Cli.Io;

namespace Secrets.Cli;

/// <summary>
/// Everything the CLI takes from its surroundings. Program.cs builds it from the real process; tests build it
/// from memory streams, so commands run in process without touching the test runner's console or environment.
/// </summary>
internal sealed class CliContext
{
    public required Stream StdIn { get; init; }

    public required Stream StdOut { get; init; }

    public required TextWriter StdErr { get; init; }

    /// <summary>Reads an environment variable; never <see cref="Environment"/> directly below Program.cs.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required string CurrentDirectory { get; init; }

    public bool StdInIsTerminal { get; init; }

    public bool StdOutIsTerminal { get; init; }

    /// <summary>Reads a secret line (a passphrase) from the terminal without echo; null when there is no terminal.</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes a path given on the command line absolute against <see cref="CurrentDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, CurrentDirectory);

    public static CliContext FromProcess() => new()
    {
        StdIn = new SynchronousStream(Console.OpenStandardInput(), leaveOpen: false),
        StdOut = new SynchronousStream(Console.OpenStandardOutput(), leaveOpen: false),
        StdErr = Console.Error,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        CurrentDirectory = Environment.CurrentDirectory,
        StdInIsTerminal = !Console.IsInputRedirected,
        StdOutIsTerminal = !Console.IsOutputRedirected,
        ReadSecret = Terminal.ReadSecret,
    };
}
