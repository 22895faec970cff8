using System.Text;

namespace Secrets.Cli.Tests;

/// <summary>Runs the CLI in process with memory streams and a private environment.</summary>
internal sealed class CliRunner
{
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public string CurrentDirectory { get; set; } = System.IO.Path.GetTempPath();

    public Func<string, string?> ReadSecret { get; set; } = _ => null;

    public bool StdOutIsTerminal { get; set; }

    public async Task<CliResult> RunAsync(byte[]? stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext
        {
            StdIn = input,
            StdOut = output,
            StdErr = error,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            CurrentDirectory = CurrentDirectory,
            ReadSecret = ReadSecret,
            StdOutIsTerminal = StdOutIsTerminal,
        };
        var code = await Cli.RunAsync(args, context);
        return new CliResult(code, output.ToArray(), error.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);
}

internal sealed record CliResult(int ExitCode, byte[] StdOut, string StdErr)
{
    public string StdOutText => Encoding.UTF8.GetString(StdOut);
}
