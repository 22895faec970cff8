using System.CommandLine;

namespace Secrets.Cli;

/// <summary>The top-level commands, one line per group with the names it registers; every command lives in Commands/.</summary>
internal static class CommandCatalog
{
    private static readonly (string[] Names, Func<CliContext, IEnumerable<Command>> Create)[] Groups =
    [
        (["seal"], context => [Commands.Seal.SealCommand.Create(context)]),
        (["unseal"], context => [Commands.Seal.UnsealCommand.Create(context)]),
        (["age"], context => [Commands.Age.AgeCommand.Create(context)]),
        (["encrypt", "decrypt", "edit", "set", "unset", "rotate", "updatekeys", "exec-env", "exec-file", "filestatus"], Commands.Sops.SopsCommands.Create),
        (["render", "krm", "sopssecret"], Commands.Render.GitOpsCommands.Create),
    ];

    /// <summary>
    /// The commands to register for a command line starting with <paramref name="name"/>: only the group that claims
    /// it, since building every command's options is a tenth of a tiny <c>age decrypt</c>; all of them otherwise
    /// (<c>--help</c>, usage errors, a name no group claims).
    /// </summary>
    public static IEnumerable<Command> Create(CliContext context, string? name = null)
    {
        foreach (var (names, create) in Groups)
        {
            if (names.Contains(name, StringComparer.Ordinal))
            {
                return create(context);
            }
        }

        return Groups.SelectMany(group => group.Create(context));
    }

    /// <summary>Every name a group claims, for the test that keeps the lists in step with the commands.</summary>
    internal static IEnumerable<(string Name, IEnumerable<Command> Group)> Claims(CliContext context) =>
        Groups.SelectMany(group => group.Names.Select(name => (name, group.Create(context))));
}
