using System.CommandLine;
using System.Text;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Metadata;
using Secrets.Sops.Stores;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    /// <summary><c>set FILE PATH VALUE</c>: VALUE is JSON; unchanged values keep their ciphertext (stash, sops.md §1.3).</summary>
    public async Task<int> SetAsync(string path, string? valueText, bool valueStdin, string? valueFile, bool idempotent, CancellationToken cancellationToken)
    {
        var json = valueStdin ? await ReadStdinAsync(cancellationToken).ConfigureAwait(false)
            : valueFile is not null ? await File.ReadAllTextAsync(context.ResolvePath(valueFile), cancellationToken).ConfigureAwait(false)
            : valueText ?? throw new SecretsOperationException(ErrorKind.Usage, "set needs a value (argument, --value-file or --value-stdin)");
        var value = ParseJsonValue(json);
        var steps = TreePath.Parse(path);
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        using var decrypted = await DecryptFileAsync(file, ignoreMac: false, cancellationToken).ConfigureAwait(false);
        if (decrypted.Documents.Count == 0)
        {
            decrypted.Documents.Add([]);
        }

        if (!TreePath.Set(decrypted.Documents[0], steps, value) && idempotent)
        {
            return ExitCodes.Ok;
        }

        await WriteFileAsync(InputStore().EmitEncrypted(decrypted.Reencrypt(context.Time)), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public async Task<int> UnsetAsync(string path, bool idempotent, CancellationToken cancellationToken)
    {
        var steps = TreePath.Parse(path);
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        using var decrypted = await DecryptFileAsync(file, ignoreMac: false, cancellationToken).ConfigureAwait(false);
        var removed = decrypted.Documents.Count > 0 && TreePath.Unset(decrypted.Documents[0], steps);
        if (!removed)
        {
            return idempotent
                ? ExitCodes.Ok
                : throw new SecretsOperationException(ErrorKind.InvalidTreePath, $"\"{path}\" was not found in the file") { Hints = ["use --idempotent to ignore a missing key"] };
        }

        await WriteFileAsync(InputStore().EmitEncrypted(decrypted.Reencrypt(context.Time)), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>rotate</c>: a new data key for every value; keys from the file plus <c>--add-*</c> minus <c>--rm-*</c>. Several
    /// files or folders are rotated in place concurrently (<see cref="ForEachFileAsync"/>), which needs <c>-i</c>.
    /// </summary>
    public async Task<int> RotateAsync(
        IReadOnlyList<string> paths, int jobs, IReadOnlyList<(string Type, Option<string[]> Add, Option<string[]> Remove)> keyChanges, CancellationToken cancellationToken)
    {
        if (!IsMultiFile(paths))
        {
            _file = paths.Count > 0 ? paths[0] : null;
            return await RotateFileAsync(keyChanges, cancellationToken).ConfigureAwait(false);
        }

        if (!result.GetValue(options.InPlace) || result.GetValue(options.Output) is not null)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "rotate over several files or a folder writes each file in place")
            {
                Hints = ["add -i (--in-place); --output takes a single file"],
            };
        }

        return await ForEachFileAsync(paths, jobs, (runner, token) => runner.RotateFileAsync(keyChanges, token), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RotateFileAsync(IReadOnlyList<(string Type, Option<string[]> Add, Option<string[]> Remove)> keyChanges, CancellationToken cancellationToken)
    {
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        using var decrypted = await DecryptFileAsync(file, result.GetValue(options.IgnoreMac), cancellationToken, forReencryption: false).ConfigureAwait(false);
        var registry = Registry();
        var groups = file.Metadata.KeyGroups.Select(group => group.Select(registry.FromEntry).ToList()).ToList();
        foreach (var (type, add, remove) in keyChanges)
        {
            var removed = Seal.SealIo.SplitList(result.GetValue(remove)).Select(text => registry.Parse(type, text).Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var group in groups)
            {
                group.RemoveAll(key => key.Type == type && removed.Contains(key.Id));
            }

            groups[0].AddRange(Seal.SealIo.SplitList(result.GetValue(add)).Select(text => registry.Parse(type, text)));
        }

        var request = new EncryptionRequest
        {
            KeyGroups = [.. groups.Select(g => (IReadOnlyList<IMasterKey>)g)],
            ShamirThreshold = file.Metadata.ShamirThreshold,
            Rules = file.Metadata.Rules,
            Time = context.Time,
        };
        var rotated = await SopsEngine.EncryptAsync(decrypted.Documents, request, cancellationToken).ConfigureAwait(false);
        rotated.Metadata.Version = file.Metadata.Version;
        await WriteAsync(OutputStore().EmitEncrypted(rotated), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>updatekeys</c>: the key groups of the matching .sops.yaml rule wrap the existing data key; values, MAC and
    /// lastmodified stay as they are (sops.md §8). Several files or folders are updated concurrently
    /// (<see cref="ForEachFileAsync"/>), each against its own rule.
    /// </summary>
    public async Task<int> UpdateKeysAsync(IReadOnlyList<string> paths, int jobs, CancellationToken cancellationToken)
    {
        if (!IsMultiFile(paths))
        {
            _file = paths.Count > 0 ? paths[0] : null;
            return await UpdateFileKeysAsync(cancellationToken).ConfigureAwait(false);
        }

        return await ForEachFileAsync(paths, jobs, (runner, token) => runner.UpdateFileKeysAsync(token), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> UpdateFileKeysAsync(CancellationToken cancellationToken)
    {
        var file = await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false);
        var rule = Config()?.Match(context.ResolvePath(RulePath!))
            ?? throw new SecretsOperationException(ErrorKind.Usage, "no .sops.yaml creation rule matches the file") { Hints = ["updatekeys takes the keys from .sops.yaml; add a rule or pass --config"] };
        var registry = Registry();
        var groups = rule.KeyGroups.Select(g => (IReadOnlyList<IMasterKey>)[.. g.Select(k => Resolve(registry, k))]).ToList();
        var threshold = Math.Min(result.GetValue(options.ShamirThreshold) ?? (rule.ShamirThreshold > 0 ? rule.ShamirThreshold : file.Metadata.ShamirThreshold), groups.Count);
        var dataKey = await Recovery().RecoverAsync(file.Metadata, cancellationToken).ConfigureAwait(false);
        try
        {
            var (entries, used) = await KeyGroupWrapper.WrapAsync(dataKey, groups, groups.Count > 1 ? Math.Max(threshold, 0) : 0, cancellationToken).ConfigureAwait(false);
            var before = string.Join(", ", file.Metadata.KeyGroups.SelectMany(g => g).Select(DataKeyRecovery.KeyId));
            var metadata = new SopsMetadata
            {
                KeyGroups = entries,
                ShamirThreshold = entries.Count > 1 ? used : 0,
                LastModified = file.Metadata.LastModified,
                Mac = file.Metadata.Mac,
                Rules = file.Metadata.Rules,
                Version = file.Metadata.Version,
            };
            // Within a multi-file run the file is a resolved path: shown relative, like its error lines.
            var shown = _warnings is null ? FileArgument : Path.GetRelativePath(context.CurrentDirectory, FileArgument!);
            Warn($"updating keys of {shown}: [{before}] -> [{string.Join(", ", entries.SelectMany(g => g).Select(DataKeyRecovery.KeyId))}]");
            await WriteFileAsync(InputStore().EmitEncrypted(file with { Metadata = metadata }), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
        }

        return ExitCodes.Ok;
    }

    private async Task<string> ReadStdinAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.StdIn, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A JSON value, typed like sops' JSON store (int64, float, string, bool, null, objects, arrays).</summary>
    private static object? ParseJsonValue(string json)
    {
        try
        {
            return new JsonStore().LoadPlain(Encoding.UTF8.GetBytes("{\"v\": " + json + "}"))[0]["v"];
        }
        catch (InvalidFileException ex)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"the value is not valid JSON: {ex.Message}", ex)
            {
                Hints = ["strings need JSON quotes: secrets set file.yaml '[\"key\"]' '\"value\"'"],
            };
        }
    }
}
