using System.Text;
using Secrets.Cli;

namespace Secrets.Controller.Tests;

/// <summary>Runs <c>secrets …</c> in process (the CLI's own entry point) with memory streams and an empty environment.</summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string StdOut, string StdErr)> RunAsync(string? stdin, params string[] args)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? ""));
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext { StdIn = input, StdOut = output, StdErr = error, GetEnvironmentVariable = _ => null, CurrentDirectory = Path.GetTempPath() };
        var code = await Cli.Cli.RunAsync(args, context);
        return (code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
