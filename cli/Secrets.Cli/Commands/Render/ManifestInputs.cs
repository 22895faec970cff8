using System.Text.Json.Nodes;
using Secrets.Cli.Commands.Seal;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// The Kubernetes objects <c>render</c> reads: files given, directories walked recursively (<c>*.yaml</c>, <c>*.yml</c>,
/// <c>*.json</c>, sorted, hidden entries skipped), or standard input for <c>-</c>. Kustomize's own files and objects marked
/// <c>config.kubernetes.io/local-config</c> are not cluster objects and are dropped.
/// </summary>
internal static class ManifestInputs
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static async Task<List<(string Source, JsonObject Document)>> ReadAsync(CliContext context, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var documents = new List<(string, JsonObject)>();
        foreach (var path in paths.Count == 0 ? ["."] : paths)
        {
            foreach (var file in Expand(context, path))
            {
                var bytes = await SealIo.ReadInputAsync(context, file, "input file", cancellationToken).ConfigureAwait(false);
                var source = file == "-" ? "stdin" : file;
                foreach (var document in ManifestReader.ReadObjects(bytes, source))
                {
                    if (!IsLocalConfig(document))
                    {
                        documents.Add((source, document));
                    }
                }
            }
        }

        return documents;
    }

    private static IEnumerable<string> Expand(CliContext context, string path)
    {
        if (path == "-")
        {
            return [path];
        }

        var full = context.ResolvePath(path);
        if (!Directory.Exists(full))
        {
            return File.Exists(full) ? [path] : throw new SecretsOperationException(ErrorKind.InputNotFound, $"\"{path}\" does not exist");
        }

        return Walk(full).Select(f => Path.GetRelativePath(context.CurrentDirectory, f));
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith('.') && Extensions.Contains(Path.GetExtension(name).ToLowerInvariant()) && !IsKustomizationFile(name))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.GetDirectories(directory).Order(StringComparer.Ordinal).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            foreach (var file in Walk(sub))
            {
                yield return file;
            }
        }
    }

    private static bool IsKustomizationFile(string name) => name is "kustomization.yaml" or "kustomization.yml" or "Kustomization";

    /// <summary>Kustomize's Kustomization/Component kinds and objects annotated local-config never reach the cluster.</summary>
    private static bool IsLocalConfig(JsonObject document) =>
        Nodes.GetString(document["apiVersion"])?.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal) == true
        || Nodes.GetString(document["metadata"]?["annotations"]?["config.kubernetes.io/local-config"]) == "true";
}
