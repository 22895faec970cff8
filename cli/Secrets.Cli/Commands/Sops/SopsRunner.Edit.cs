using System.Security.Cryptography;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    private static readonly string[] FallbackEditors = ["vim", "nano", "vi"];

    /// <summary>
    /// <c>edit FILE</c> (sops.md §8): plaintext in a private 0600 temp file, $SOPS_EDITOR/$EDITOR, exit 200 when unchanged,
    /// only changed values get new IVs. A missing file starts from an example document and is encrypted like <c>encrypt</c>.
    /// </summary>
    public async Task<int> EditAsync(CancellationToken cancellationToken)
    {
        var path = context.ResolvePath(FileArgument ?? throw new SecretsOperationException(ErrorKind.Usage, "edit needs a file"));
        if (FindEditor() is not { } editor)
        {
            new ErrorReporter(context).Error("no editor found");
            new ErrorReporter(context).Hint("set SOPS_EDITOR or EDITOR, e.g. EDITOR='code --wait'");
            return ExitCodes.NoEditorFound;
        }

        DecryptedFile? decrypted = null;
        try
        {
            byte[] plain;
            if (File.Exists(path))
            {
                decrypted = await DecryptFileAsync(LoadEncrypted(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)), result.GetValue(options.IgnoreMac), cancellationToken).ConfigureAwait(false);
                plain = OutputStore().EmitPlain(decrypted.Documents);
            }
            else
            {
                plain = InputStore().EmitPlain([[new TreeItem("hello", "Welcome to secrets (sops-compatible)! Edit this file as you please!")]]);
            }

            var documents = await RunEditorAsync(editor, Path.GetFileName(path), plain, cancellationToken).ConfigureAwait(false);
            SopsFile file;
            if (decrypted is null)
            {
                file = await EncryptDocumentsAsync(documents, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                file = decrypted.Reencrypt(context.Time, documents);
                if (IsOlder(file.Metadata.Version))
                {
                    file.Metadata.Version = SopsMetadata.CurrentVersion;
                }
            }

            await SealIoWrite(path, InputStore().EmitEncrypted(file), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        finally
        {
            decrypted?.Dispose();
        }
    }

    private Task SealIoWrite(string path, byte[] content, CancellationToken cancellationToken) =>
        Seal.SealIo.WriteOutputAsync(context, path, content, cancellationToken);

    private async Task<List<TreeBranch>> RunEditorAsync(string editor, string name, byte[] plain, CancellationToken cancellationToken)
    {
        var directory = ChildProcess.PrivateTempDirectory();
        try
        {
            var temp = Path.Combine(directory.FullName, name);
            await ChildProcess.WritePrivateFileAsync(temp, plain, cancellationToken).ConfigureAwait(false);
            var before = SHA256.HashData(plain);
            while (true)
            {
                var status = await ChildProcess.RunShellAsync(editor + " \"$1\"", [temp], null, pristine: false, cancellationToken).ConfigureAwait(false);
                if (status != 0)
                {
                    throw new SecretsOperationException(ErrorKind.General, $"the editor exited with status {status}; the file was not changed");
                }

                var edited = await File.ReadAllBytesAsync(temp, cancellationToken).ConfigureAwait(false);
                if (CryptographicOperations.FixedTimeEquals(before, SHA256.HashData(edited)))
                {
                    throw new SecretsOperationException(ErrorKind.NotModified, "file has not changed, exiting")
                    {
                        Hints = ["a GUI editor must wait until the file is closed, e.g. EDITOR='code --wait'"],
                    };
                }

                try
                {
                    return OutputStore().LoadPlain(edited);
                }
                catch (InvalidFileException ex) when (context.StdInIsTerminal)
                {
                    Warn($"{ex.Message}; press Enter to edit again or Ctrl-C to give up");
                    using var reader = new StreamReader(context.StdIn, leaveOpen: true);
                    await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ChildProcess.DeleteQuietly(directory);
        }
    }

    private string? FindEditor()
    {
        if ((Env("SOPS_EDITOR") ?? Env("EDITOR")) is { } configured)
        {
            return configured;
        }

        var path = Env("PATH") ?? "/usr/bin:/bin";
        return FallbackEditors.FirstOrDefault(name => path.Split(':').Any(dir => File.Exists(Path.Combine(dir, name))));
    }

    /// <summary>Semver compare with sops' rules: a <c>v</c> prefix is stripped, versions starting with 1. are older.</summary>
    private static bool IsOlder(string version) =>
        Version.TryParse(version.TrimStart('v').Split('-')[0], out var parsed) && parsed < Version.Parse(SopsMetadata.CurrentVersion);
}
