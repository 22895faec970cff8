using System.Text;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Stores;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    /// <summary>
    /// <c>verify PATH…</c>: every file (folders: every file holding a sops marker, hidden folders skipped) must yield its
    /// data key and match its MAC. Files are checked concurrently, at most <paramref name="jobs"/> at once, with one set
    /// of key sources (identities are loaded once); results are printed in path order, never a value (issue #3 item 6).
    /// </summary>
    public async Task<int> VerifyAsync(IReadOnlyList<string> paths, int jobs, CancellationToken cancellationToken)
    {
        var files = SopsFiles(paths);
        var recovery = Recovery();
        var failures = new (string Message, int Code)?[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), parallel, async (index, token) =>
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(files[index], token).ConfigureAwait(false);
                var file = Store(result.GetValue(options.InputType) ?? StoreFactory.FormatForPath(files[index])).LoadEncrypted(bytes);
                using var decrypted = await SopsEngine.DecryptAsync(file, recovery, ignoreMac: false, token, forReencryption: false).ConfigureAwait(false);
            }
            catch (SecretsException ex)
            {
                failures[index] = (ex.Message, ExitCodes.For(ex.Kind));
            }
            catch (IOException ex)
            {
                failures[index] = (ex.Message, ExitCodes.For(ErrorKind.InputNotFound));
            }
        }).ConfigureAwait(false);

        var report = new StringBuilder();
        for (var i = 0; i < files.Count; i++)
        {
            var shown = Path.GetRelativePath(context.CurrentDirectory, files[i]);
            report.Append(failures[i] is { } failure ? $"FAIL {shown}: {failure.Message}\n" : $"ok   {shown}\n");
        }

        await context.StdOut.WriteAsync(Encoding.UTF8.GetBytes(report.ToString()), cancellationToken).ConfigureAwait(false);
        return failures.FirstOrDefault(f => f is not null)?.Code ?? ExitCodes.Ok;
    }
}
