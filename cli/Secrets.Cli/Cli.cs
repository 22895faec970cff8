using System.CommandLine;
using System.Reflection;

namespace Secrets.Cli;

/// <summary>The <c>secrets</c> command line: builds the command tree and runs it with one top-level error handler.</summary>
internal static class Cli
{
    public static string Version { get; } =
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The command tree; with <paramref name="commandName"/> (args[0]) only that command's group is built.</summary>
    public static RootCommand BuildRoot(CliContext context, string? commandName = null)
    {
        var root = new RootCommand("secrets: encrypt values of config files (sops-compatible), seal Kubernetes Secrets (kubeseal-compatible) and speak age.");
        foreach (var command in CommandCatalog.Create(context, commandName))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var reporter = new ErrorReporter(context);
        using var stdout = new StreamWriter(context.StdOut, leaveOpen: true) { AutoFlush = true };
        try
        {
            var root = BuildRoot(context, args.FirstOrDefault());
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                foreach (var error in parseResult.Errors)
                {
                    reporter.Error(error.Message);
                }

                reporter.Hint("run 'secrets --help' or 'secrets COMMAND --help' for usage");
                return ExitCodes.Usage;
            }

            var configuration = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = context.StdErr,
            };
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            return reporter.Report(exception);
        }
    }
}
