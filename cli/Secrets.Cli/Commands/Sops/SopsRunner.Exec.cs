using Secrets.Core;
using Secrets.Sops.Stores;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    /// <summary><c>exec-env FILE CMD</c>: top-level values become environment variables; the child's status is ours.</summary>
    public async Task<int> ExecEnvAsync(string command, bool pristine, CancellationToken cancellationToken)
    {
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        using var decrypted = await DecryptFileAsync(file, ignoreMac: false, cancellationToken, forReencryption: false).ConfigureAwait(false);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in decrypted.Documents.SelectMany(d => d).Where(i => i.Key is string))
        {
            var key = (string)item.Key;
            if (item.Value is TreeBranch or TreeSequence)
            {
                throw new InvalidFileException($"cannot use complex value \"{key}\" as an environment variable");
            }

            if (key.Contains('=', StringComparison.Ordinal))
            {
                throw new InvalidFileException($"cannot use \"{key}\" as an environment variable name: it contains '='");
            }

            environment[key] = DotenvStore.ValueText(item.Value);
        }

        return await ChildProcess.RunShellAsync(command, [], environment, pristine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>exec-file FILE 'CMD {}'</c>: the plaintext in a private temp file (0600) whose path replaces {}.</summary>
    public async Task<int> ExecFileAsync(string command, string? fileName, CancellationToken cancellationToken)
    {
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        using var decrypted = await DecryptFileAsync(file, ignoreMac: false, cancellationToken, forReencryption: false).ConfigureAwait(false);
        var directory = ChildProcess.PrivateTempDirectory();
        try
        {
            var path = Path.Combine(directory.FullName, Path.GetFileName(fileName ?? "tmp-file"));
            await ChildProcess.WritePrivateFileAsync(path, OutputStore().EmitPlain(decrypted.Documents), cancellationToken).ConfigureAwait(false);
            return await ChildProcess.RunShellAsync(command.Replace("{}", "\"$1\"", StringComparison.Ordinal), [path], null, pristine: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ChildProcess.DeleteQuietly(directory);
        }
    }
}
