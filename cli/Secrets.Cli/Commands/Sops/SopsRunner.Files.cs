using Secrets.Core;
using Secrets.Sops.Kubernetes;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    /// <summary>
    /// Whether <paramref name="paths"/> asks for the multi-file form of <c>rotate</c>/<c>updatekeys</c>: several paths or
    /// a folder. No path (stdin) or one file keeps sops' single-file behaviour, errors and output included.
    /// </summary>
    private bool IsMultiFile(IReadOnlyList<string> paths) =>
        paths.Count > 1 || (paths.Count == 1 && Directory.Exists(context.ResolvePath(paths[0])));

    /// <summary>
    /// The files named by <paramref name="paths"/>: files as given, folders searched for files that carry a sops marker
    /// (<see cref="Expand"/>), without duplicates. The same selection for <c>verify</c>, <c>rotate</c> and <c>updatekeys</c>.
    /// </summary>
    private List<string> SopsFiles(IReadOnlyList<string> paths)
    {
        var files = paths.SelectMany(path => Expand(context.ResolvePath(path))).Distinct(StringComparer.Ordinal).ToList();
        return files.Count > 0
            ? files
            : throw new SecretsOperationException(ErrorKind.Usage, "no sops files found") { Hints = ["pass sops files or folders that hold them"] };
    }

    /// <summary>
    /// Runs <paramref name="perFile"/> on every file of <paramref name="paths"/>, at most <paramref name="jobs"/> at once
    /// (issue #3 item 6: hundreds of files with a cloud key in seconds). Each file gets its own runner sharing this one's
    /// key sources and .sops.yaml; a failing file does not stop the others. Afterwards each file's warnings and its
    /// <c>error: PATH: …</c> line (with hints) are printed in path order; the exit code is the first failure's.
    /// </summary>
    private async Task<int> ForEachFileAsync(IReadOnlyList<string> paths, int jobs, Func<SopsRunner, CancellationToken, Task> perFile, CancellationToken cancellationToken)
    {
        if (result.GetValue(options.FilenameOverride) is not null)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "--filename-override names a single file") { Hints = ["each file's own path decides its format and .sops.yaml rule"] };
        }

        var files = SopsFiles(paths);
        var registry = Registry();
        var config = Config();
        var runners = files.Select(file => new SopsRunner(context, result, options)
        {
            _file = file,
            _registry = registry,
            _config = config,
            _configLoaded = true,
            _warnings = [],
        }).ToArray();
        var failures = new Exception?[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), parallel, async (index, token) =>
        {
            try
            {
                await perFile(runners[index], token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                failures[index] = ex;
            }
        }).ConfigureAwait(false);

        var reporter = new ErrorReporter(context);
        var exitCode = ExitCodes.Ok;
        for (var i = 0; i < files.Count; i++)
        {
            foreach (var warning in runners[i]._warnings!)
            {
                reporter.Warning(warning);
            }

            if (failures[i] is { } failure)
            {
                var code = reporter.Report(failure, Path.GetRelativePath(context.CurrentDirectory, files[i]));
                exitCode = exitCode == ExitCodes.Ok ? code : exitCode;
            }
        }

        return exitCode;
    }

    /// <summary>A file as given; a folder's files that carry a sops marker, in ordinal path order.</summary>
    private static IEnumerable<string> Expand(string path)
    {
        if (!Directory.Exists(path))
        {
            return [path];
        }

        // Hidden (on Unix: dot-named) files and folders such as .git and .sops.yaml are skipped.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        return Directory.EnumerateFiles(path, "*", options)
            .Where(file => SopsDetection.MarkerFormat(File.ReadAllBytes(file)) is not null)
            .Order(StringComparer.Ordinal);
    }
}
