using System.CommandLine;

namespace Secrets.Cli.Commands.Render;

/// <summary>The GitOps commands (docs/gitops.md), one catalog line: render, krm and sopssecret.</summary>
internal static class GitOpsCommands
{
    public static IEnumerable<Command> Create(CliContext context) =>
        [RenderCommand.Create(context), KrmCommand.Create(context), SopsSecret.SopsSecretCommand.Create(context)];
}
