namespace Secrets.Cli.Tests;

public class RootCommandTests
{
    [Fact]
    public async Task Version_prints_the_version_and_exits_zero()
    {
        var result = await new CliRunner().RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.StdOutText.Trim());
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error_with_a_hint()
    {
        var result = await new CliRunner().RunAsync("no-such-command");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
