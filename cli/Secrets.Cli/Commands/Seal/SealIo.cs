using System.Text;
using System.Text.Json.Nodes;
using Secrets.Cli.Io;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal;

/// <summary>Reading inputs and writing outputs for <c>seal</c>/<c>unseal</c> with kubeseal's conventions.</summary>
internal static class SealIo
{
    /// <summary>Bytes of <paramref name="path"/>, or standard input for null or <c>-</c>.</summary>
    /// <remarks>
    /// The file is read on the calling thread: File.ReadAllBytesAsync queues the read to the thread pool on Unix, which
    /// for a small input costs a thread start and a hand-off more than the read (see <see cref="SynchronousStream"/>).
    /// </remarks>
    public static async Task<byte[]> ReadInputAsync(CliContext context, string? path, string what, CancellationToken cancellationToken)
    {
        if (path is null or "-")
        {
            using var buffer = new MemoryStream();
            await context.StdIn.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }

        var full = context.ResolvePath(path);
        return File.Exists(full)
            ? File.ReadAllBytes(full)
            : throw new SecretsOperationException(ErrorKind.InputNotFound, $"{what} \"{path}\" does not exist");
    }

    /// <summary>The Kubernetes objects in the input; an empty input is an error rather than silent empty output.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ReadObjectsAsync(CliContext context, string? path, CancellationToken cancellationToken)
    {
        var source = path is null or "-" ? "stdin" : path;
        var objects = ManifestReader.ReadObjects(await ReadInputAsync(context, path, "input file", cancellationToken).ConfigureAwait(false), source);
        return objects.Count > 0
            ? objects
            : throw new InvalidFileException($"\"{source}\" holds no Kubernetes object")
            {
                Hints = ["pipe a Secret in, e.g. kubectl create secret generic NAME --from-literal=k=v --dry-run=client -o yaml | secrets seal --cert cert.pem"],
            };
    }

    /// <summary><c>-o</c>, else YAML when <c>-w</c> ends in .yaml/.yml (§4.3), else JSON.</summary>
    public static ManifestFormat ResolveFormat(string? format, string? outputPath) => format switch
    {
        "yaml" => ManifestFormat.Yaml,
        "json" => ManifestFormat.Json,
        _ when outputPath is not null && (outputPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || outputPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) => ManifestFormat.Yaml,
        _ => ManifestFormat.Json,
    };

    public static byte[] Render(IEnumerable<JsonObject> documents, ManifestFormat format)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            text.Append(ManifestWriter.Write(document, format));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Writes to standard output (null or <c>-</c>) or atomically to a file, so a failure leaves no partial file.</summary>
    public static async Task WriteOutputAsync(CliContext context, string? path, byte[] content, CancellationToken cancellationToken)
    {
        if (path is null or "-")
        {
            await context.StdOut.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await context.StdOut.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await AtomicFile.WriteAllBytesAsync(context.ResolvePath(path), content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SecretsOperationException(ErrorKind.OutputFailed, $"cannot write \"{path}\": {error.Message}", error);
        }
    }

    /// <summary>Splits repeatable, comma-separated values (<c>-k a,b -k c</c>).</summary>
    public static List<string> SplitList(IEnumerable<string>? values) =>
        values is null ? [] : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
