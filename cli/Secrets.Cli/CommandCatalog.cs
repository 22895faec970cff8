using System.CommandLine;

namespace Secrets.Cli;

/// <summary>The top-level commands, one line each; every command lives in Commands/.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        return
        [
            Commands.Seal.SealCommand.Create(context),
            Commands.Seal.UnsealCommand.Create(context),
            Commands.Age.AgeCommand.Create(context),
            .. Commands.Sops.SopsCommands.Create(context),
            .. Commands.Render.GitOpsCommands.Create(context),
        ];
    }
}
