using Secrets.Cli;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Seal;

/// <summary>
/// Runs <c>secrets</c>: the Native AOT binary when CI exported SECRETS_AOT_BINARY (so interop also covers the
/// trimmed build), otherwise the CLI in process.
/// </summary>
internal static class SealCli
{
    public static async Task<ProcessResult> RunAsync(byte[]? stdin, string workingDirectory, params string[] args)
    {
        if (Environment.GetEnvironmentVariable("SECRETS_AOT_BINARY") is { Length: > 0 } binary && File.Exists(binary))
        {
            return await Tools.RunAsync(binary, args, stdin ?? [], workingDirectory, timeout: TimeSpan.FromSeconds(60));
        }

        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext
        {
            StdIn = input,
            StdOut = output,
            StdErr = error,
            GetEnvironmentVariable = _ => null,
            CurrentDirectory = workingDirectory,
        };
        var code = await Cli.Cli.RunAsync(args, context);
        return new ProcessResult(code, output.ToArray(), error.ToString());
    }

    public static Task<ProcessResult> NodeAsync(string script, byte[] stdin, params string[] args) =>
        Tools.RunAsync("node", [Path.Combine(RepoPaths.Root, "tests", "Secrets.Interop.Tests", "Seal", script), .. args], stdin, timeout: TimeSpan.FromSeconds(60));
}
