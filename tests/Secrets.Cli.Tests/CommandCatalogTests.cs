namespace Secrets.Cli.Tests;

/// <summary>The catalog builds only the invoked command's group; its name lists must match what the groups build.</summary>
public class CommandCatalogTests
{
    private static CliContext Context() => new()
    {
        StdIn = Stream.Null,
        StdOut = Stream.Null,
        StdErr = TextWriter.Null,
        GetEnvironmentVariable = _ => null,
        CurrentDirectory = Path.GetTempPath(),
    };

    [Fact]
    public void Every_claimed_name_is_built_by_its_group()
    {
        foreach (var (name, group) in CommandCatalog.Claims(Context()))
        {
            Assert.Contains(name, group.Select(command => command.Name));
        }
    }

    [Fact]
    public void Every_top_level_command_is_claimed_by_exactly_one_group()
    {
        var claimed = CommandCatalog.Claims(Context()).Select(claim => claim.Name).ToList();
        var all = CommandCatalog.Create(Context()).Select(command => command.Name).ToList();

        Assert.Equal(all.Order(StringComparer.Ordinal), claimed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Invoking_a_command_builds_only_its_group()
    {
        var built = CommandCatalog.Create(Context(), "age").Select(command => command.Name);

        Assert.Equal(["age"], built);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await new CliRunner().RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in CommandCatalog.Create(Context()))
        {
            Assert.Contains($"  {command.Name} ", result.StdOutText, StringComparison.Ordinal);
        }
    }
}
