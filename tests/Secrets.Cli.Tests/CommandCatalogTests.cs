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

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task A_command_s_help_works_although_help_is_built_only_when_asked(string flag)
    {
        var result = await new CliRunner().RunAsync("decrypt", flag);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Decrypt a sops file.", result.StdOutText, StringComparison.Ordinal);
        Assert.Contains("--extract", result.StdOutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_line_without_help_or_version_builds_neither_option()
    {
        // Their descriptions set up System.CommandLine's ResourceManager, ~5% of a small decrypt (issue #3 item 7).
        var plain = Cli.BuildRoot(Context(), ["decrypt", "secret.enc.yaml"]);
        var asking = Cli.BuildRoot(Context(), ["decrypt", "secret.enc.yaml", "--version"]);

        Assert.Empty(plain.Options);
        Assert.Equal(2, asking.Options.Count);
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
