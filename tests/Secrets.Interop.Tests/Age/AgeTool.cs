using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Age;

/// <summary>Runs the reference <c>age</c> program; passphrase prompts go through a pty made by <c>script</c>.</summary>
internal static class AgeTool
{
    public static async Task<ProcessResult> RunAsync(byte[]? stdin, params string[] arguments)
    {
        var result = await Tools.RunAsync(Tools.Find("age")!, arguments, stdin);
        Assert.True(result.ExitCode == 0, $"age {string.Join(' ', arguments)} failed: {result.StdErr}");
        return result;
    }

    /// <summary>
    /// Runs <c>age</c> with its /dev/tty on a pty (age 1.1.1 reads passphrases only from the terminal, age.md §8),
    /// typing each of <paramref name="ttyLines"/>. Data goes through files, since the pty carries the typing.
    /// </summary>
    public static async Task RunWithTerminalAsync(string[] ttyLines, params string[] arguments)
    {
        var command = "age " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var typing = System.Text.Encoding.UTF8.GetBytes(string.Concat(ttyLines.Select(l => l + "\n")));

        var result = await Tools.RunAsync(Tools.Find("script")!, ["-qec", command, "/dev/null"], typing);

        Assert.True(result.ExitCode == 0, $"{command} failed: {result.StdOutText}{result.StdErr}");
    }
}
