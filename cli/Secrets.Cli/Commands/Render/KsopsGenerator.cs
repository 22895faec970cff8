using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;
using Secrets.Sops.Kubernetes;
using Secrets.Sops.Stores;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// A KSOPS generator manifest (eso-flux.md §4.1): <c>files:</c> are whole sops-encrypted manifests emitted decrypted
/// (MAC verified, as KSOPS does), <c>secretFrom:</c> builds Secrets from encrypted raw files (<c>files</c> → stringData,
/// <c>binaryFiles</c> → data, <c>envs</c> → stringData). Paths are relative to the kustomization directory, where
/// kustomize runs exec functions. Our own kind <c>secrets.gitops.dev/v1alpha1 SopsGenerator</c> takes the same fields.
/// </summary>
internal sealed class KsopsGenerator(ManifestDecryptor decryptor, CliContext context)
{
    public static bool IsGenerator(JsonObject document) =>
        (Nodes.GetString(document["kind"]) == "ksops" && Nodes.GetString(document["apiVersion"])?.StartsWith("viaduct.ai/", StringComparison.Ordinal) == true)
        || (Nodes.GetString(document["kind"]) == "SopsGenerator" && Nodes.GetString(document["apiVersion"])?.StartsWith(SopsSecretDocument.Group + "/", StringComparison.Ordinal) == true);

    public async Task<List<JsonObject>> GenerateAsync(JsonObject generator, CancellationToken cancellationToken)
    {
        var output = new List<JsonObject>();
        foreach (var path in Strings(generator["files"], "files"))
        {
            var plain = await DecryptFileAsync(path, StoreFactory.FormatForPath(path), cancellationToken).ConfigureAwait(false);
            foreach (var document in ManifestReader.ReadObjects(plain, path))
            {
                output.AddRange(SopsSecretDocument.IsSopsSecret(document) ? SopsSecretDocument.ToSecrets(document) : [document]);
            }
        }

        if (generator["secretFrom"] is JsonArray secretFrom)
        {
            foreach (var spec in secretFrom.OfType<JsonObject>())
            {
                output.Add(await SecretFromAsync(spec, cancellationToken).ConfigureAwait(false));
            }
        }

        return output;
    }

    private async Task<JsonObject> SecretFromAsync(JsonObject spec, CancellationToken cancellationToken)
    {
        var stringData = new JsonObject();
        var data = new JsonObject();
        foreach (var entry in Strings(spec["files"], "secretFrom.files"))
        {
            var (key, path) = KeyAndPath(entry);
            stringData[key] = Encoding.UTF8.GetString(await DecryptFileAsync(path, StoreFactory.FormatForPath(path), cancellationToken).ConfigureAwait(false));
        }

        foreach (var entry in Strings(spec["binaryFiles"], "secretFrom.binaryFiles"))
        {
            var (key, path) = KeyAndPath(entry);
            data[key] = Convert.ToBase64String(await DecryptFileAsync(path, StoreFactory.FormatForPath(path), cancellationToken).ConfigureAwait(false));
        }

        foreach (var path in Strings(spec["envs"], "secretFrom.envs"))
        {
            var text = Encoding.UTF8.GetString(await DecryptFileAsync(path, "dotenv", cancellationToken).ConfigureAwait(false));
            foreach (var line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                stringData[equals < 0 ? line : line[..equals]] = equals < 0 ? "" : line[(equals + 1)..];
            }
        }

        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = spec["metadata"]?.DeepClone() ?? new JsonObject(),
            ["type"] = Nodes.GetString(spec["type"]) ?? "Opaque",
        };
        if (data.Count > 0)
        {
            secret["data"] = data;
        }

        if (stringData.Count > 0)
        {
            secret["stringData"] = stringData;
        }

        return secret;
    }

    /// <summary>Decrypts a file in its own format (KSOPS: <c>decrypt.File</c>, MAC verified).</summary>
    private async Task<byte[]> DecryptFileAsync(string path, string format, CancellationToken cancellationToken)
    {
        var full = context.ResolvePath(path);
        if (!File.Exists(full))
        {
            throw new SecretsOperationException(ErrorKind.InputNotFound, $"\"{path}\" does not exist")
            {
                Hints = ["paths in a ksops generator are relative to the kustomization directory"],
            };
        }

        var bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        return await decryptor.DecryptBytesAsync(bytes, format, format, $"\"{path}\"", cancellationToken).ConfigureAwait(false);
    }

    private static (string Key, string Path) KeyAndPath(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (Path.GetFileName(entry), entry) : (entry[..equals], entry[(equals + 1)..]);
    }

    private static IEnumerable<string> Strings(JsonNode? node, string field) => node switch
    {
        null => [],
        JsonArray list => list.Select(item => Nodes.GetString(item) ?? throw new InvalidFileException($"generator {field}: an item is not a string")),
        _ => throw new InvalidFileException($"generator {field} is not a list"),
    };
}
