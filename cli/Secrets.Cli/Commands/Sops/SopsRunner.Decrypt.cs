using System.Text;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Cli.Commands.Sops;

internal sealed partial class SopsRunner
{
    public async Task<int> DecryptAsync(CancellationToken cancellationToken)
    {
        // No local for the encrypted tree: an async method keeps its locals alive to the end, and for a big file it would
        // be most of the heap while the plaintext is written (docs/sops.md "Benchmark").
        using var decrypted = await DecryptFileAsync(
            await LoadEncryptedInputAsync(cancellationToken).ConfigureAwait(false), result.GetValue(options.IgnoreMac), cancellationToken, forReencryption: false).ConfigureAwait(false);
        var store = OutputStore();
        if (result.GetValue(options.Extract) is { } extract)
        {
            var value = TreePath.Get(decrypted.Documents.FirstOrDefault() ?? [], TreePath.Parse(extract));
            var content = value switch
            {
                string text => Encoding.UTF8.GetBytes(text),
                TreeBranch branch => store.EmitPlain([branch]),
                _ => store.EmitValue(value),
            };
            await WriteAsync(content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WriteAsync(output => store.EmitPlain(decrypted.Documents, output), cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    public async Task<int> FileStatusAsync(CancellationToken cancellationToken)
    {
        var bytes = await ReadInputAsync(cancellationToken).ConfigureAwait(false);
        bool encrypted;
        try
        {
            var metadata = LoadEncrypted(bytes).Metadata;
            encrypted = metadata.Version.Length > 0 && metadata.Mac.Length > 0;
        }
        catch (InvalidFileException)
        {
            encrypted = false;
        }

        await context.StdOut.WriteAsync(Encoding.UTF8.GetBytes($"{{\"encrypted\":{(encrypted ? "true" : "false")}}}\n"), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
