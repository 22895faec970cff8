using System.CommandLine;
using Secrets.Cli.Commands.Age;
using Secrets.Cli.Commands.Seal;
using Secrets.Core;
using Secrets.Sops.Config;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

/// <summary>Runs the sops-style commands: shared input, format, config, key and output handling.</summary>
internal sealed partial class SopsRunner(CliContext context, ParseResult result, SopsOptions options)
{
    private SopsConfig? _config;
    private bool _configLoaded;
    private MasterKeyRegistry? _registry;

    /// <summary>The file this runner works on within a multi-file command (<see cref="ForEachFileAsync"/>).</summary>
    private string? _file;

    /// <summary>Within a multi-file command: warnings held back so that each file's lines print together.</summary>
    private List<string>? _warnings;

    private string? FileArgument => _file ?? result.GetValue(options.File);

    /// <summary>The path that decides format and creation rule: --filename-override, else the file.</summary>
    private string? RulePath => result.GetValue(options.FilenameOverride) ?? FileArgument;

    private async Task<byte[]> ReadInputAsync(CancellationToken cancellationToken)
    {
        if (FileArgument is null && result.GetValue(options.FilenameOverride) is null)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "no file given")
            {
                Hints = ["pass a file, or read stdin with --filename-override NAME.yaml to choose the format"],
            };
        }

        return await SealIo.ReadInputAsync(context, FileArgument, "file", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The input as an encrypted file. A method of its own so that the read's awaiter, which holds the bytes, lives on
    /// this method's frame only: in the caller's, it would keep a big file's bytes alive to the end of the command
    /// (docs/sops.md "Benchmark").
    /// </summary>
    private async Task<SopsFile> LoadEncryptedInputAsync(CancellationToken cancellationToken) =>
        LoadEncrypted(await ReadInputAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The input as plaintext documents; see <see cref="LoadEncryptedInputAsync"/>.</summary>
    private async Task<List<TreeBranch>> LoadPlainInputAsync(CancellationToken cancellationToken) =>
        InputStore().LoadPlain(await ReadInputAsync(cancellationToken).ConfigureAwait(false));

    private ISopsStore InputStore() => Store(result.GetValue(options.InputType) ?? StoreFactory.FormatForPath(RulePath ?? ""));

    private ISopsStore OutputStore() =>
        Store(result.GetValue(options.OutputType) ?? result.GetValue(options.InputType) ?? StoreFactory.FormatForPath(RulePath ?? ""));

    private ISopsStore Store(string format)
    {
        var config = Config();
        var indent = result.GetValue(options.Indent);
        return StoreFactory.Create(format, indent ?? config?.YamlIndent ?? 0, indent ?? config?.JsonIndent ?? -1);
    }

    private SopsConfig? Config()
    {
        if (!_configLoaded)
        {
            var explicitPath = result.GetValue(options.Config) ?? Env("SOPS_CONFIG");
            var path = SopsConfig.Find(context.CurrentDirectory, explicitPath is null ? null : context.ResolvePath(explicitPath));
            _config = path is null ? null : SopsConfig.Load(path);
            _configLoaded = true;
        }

        return _config;
    }

    /// <summary>One registry per command, so that each cloud client and credential is set up once.</summary>
    private MasterKeyRegistry Registry() => _registry ??=
        KeySources.Create(new KeySourceOptions(context, result.GetValue(options.AwsProfile), ParseEncryptionContext(result.GetValue(options.EncryptionContext))));

    private DataKeyRecovery Recovery() =>
        new(Registry(), DataKeyRecovery.ParseOrder(result.GetValue(options.DecryptionOrder) ?? Env("SOPS_DECRYPTION_ORDER")));

    /// <summary>Decrypts; <paramref name="forReencryption"/> keeps the IV stash for set/unset/edit (sops.md §1.3).</summary>
    private async Task<DecryptedFile> DecryptFileAsync(SopsFile file, bool ignoreMac, CancellationToken cancellationToken, bool forReencryption = true) =>
        await SopsEngine.DecryptAsync(file, Recovery(), ignoreMac, cancellationToken, Warn, forReencryption).ConfigureAwait(false);

    private SopsFile LoadEncrypted(byte[] bytes) => InputStore().LoadEncrypted(bytes);

    private Task WriteAsync(byte[] content, CancellationToken cancellationToken) =>
        SealIo.WriteOutputAsync(context, OutputPath(), content, cancellationToken);

    /// <summary>
    /// Lets <paramref name="emit"/> write the output piece by piece (a big file is never held whole): to a temporary
    /// file renamed over the target once complete, or to stdout.
    /// </summary>
    private Task WriteAsync(Action<Stream> emit, CancellationToken cancellationToken) =>
        AgeIo.WriteAsync(
            context,
            OutputPath(),
            output =>
            {
                emit(output);
                return Task.CompletedTask;
            },
            cancellationToken);

    /// <summary>-i writes back to the file, --output to a file, otherwise stdout (null).</summary>
    private string? OutputPath()
    {
        var inPlace = result.GetValue(options.InPlace);
        var output = result.GetValue(options.Output);
        if (inPlace && output is not null)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "--in-place and --output cannot be combined");
        }

        if (inPlace && FileArgument is null)
        {
            throw new SecretsOperationException(ErrorKind.Usage, "--in-place needs a file argument");
        }

        return inPlace ? FileArgument : output;
    }

    private Task WriteFileAsync(byte[] content, CancellationToken cancellationToken) =>
        SealIo.WriteOutputAsync(context, FileArgument ?? throw new SecretsOperationException(ErrorKind.Usage, "a file argument is required"), content, cancellationToken);

    private void Warn(string message)
    {
        if (_warnings is { } held)
        {
            lock (held)
            {
                held.Add(message);
            }

            return;
        }

        context.StdErr.WriteLine($"warning: {message}");
        context.StdErr.Flush();
    }

    private string? Env(string name) => context.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static Dictionary<string, string> ParseEncryptionContext(string? text)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new SecretsOperationException(ErrorKind.Usage, $"invalid KMS encryption context \"{pair}\"") { Hints = ["use key:value,key2:value2"] };
            }

            context[pair[..colon]] = pair[(colon + 1)..];
        }

        return context;
    }
}
