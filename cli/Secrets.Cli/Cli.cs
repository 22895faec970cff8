using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;

namespace Secrets.Cli;

/// <summary>The <c>secrets</c> command line: builds the command tree and runs it with one top-level error handler.</summary>
internal static class Cli
{
    public static string Version { get; } =
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// The command tree for <paramref name="args"/>: only the group of the command args[0] names, and the help and
    /// version options only when a token may ask for them; everything without <paramref name="args"/>.
    /// </summary>
    /// <remarks>
    /// A plain <see cref="Command"/> named "secrets" with RootCommand's help and version options: RootCommand's
    /// constructor looks up the entry assembly for its name, which in a Native AOT image initializes reflection and
    /// costs a millisecond of every start. The two options take their descriptions from System.CommandLine's
    /// ResourceManager, whose set-up (reflection over the assembly's attributes and resources) was a twentieth of a
    /// small <c>decrypt</c> (issue #3 item 7).
    /// </remarks>
    public static Command BuildRoot(CliContext context, IReadOnlyList<string>? args = null)
    {
        var root = new Command("secrets", "secrets: encrypt values of config files (sops-compatible), seal Kubernetes Secrets (kubeseal-compatible) and speak age.");
        if (args is null || args.Any(MayAskForHelpOrVersion))
        {
            root.Options.Add(new HelpOption());
            root.Options.Add(new VersionOption());
        }

        foreach (var command in CommandCatalog.Create(context, args is { Count: > 0 } ? args[0] : null))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>HelpOption's and VersionOption's names, and a response file (@FILE) that may hold them.</summary>
    private static bool MayAskForHelpOrVersion(string token) =>
        token is "--help" or "-h" or "/h" or "-?" or "/?" or "--version" || token.StartsWith('@');

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var reporter = new ErrorReporter(context);
        using var stdout = new StreamWriter(context.StdOut, leaveOpen: true) { AutoFlush = true };
        try
        {
            var root = BuildRoot(context, args);
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
