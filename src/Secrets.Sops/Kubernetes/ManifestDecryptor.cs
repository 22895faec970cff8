using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Stores;

namespace Secrets.Sops.Kubernetes;

/// <summary>
/// Decrypts one Kubernetes object the way Flux's kustomize-controller does after <c>kustomize build</c>
/// (eso-flux.md §3.3 step 2): a whole sops document through the JSON store, else each sops file embedded in a Secret's
/// <c>data</c>, its output format taken from the data key's extension. Error messages name objects, keys and key ids,
/// never values.
/// </summary>
public sealed class ManifestDecryptor(DataKeyRecovery recovery, MacCheck macCheck = MacCheck.Never)
{
    /// <summary>Flux refuses sops files larger than this (eso-flux.md §3.3 step 1).</summary>
    public const int MaxEncryptedSize = 5 * 1024 * 1024;

    /// <summary>The decrypted object, or the same object when it holds no sops data or opted out.</summary>
    public async Task<JsonObject> DecryptAsync(JsonObject document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (SopsDetection.IsDecryptionDisabled(document))
        {
            return document;
        }

        if (SopsDetection.IsEncryptedDocument(document))
        {
            var json = Encoding.UTF8.GetBytes(document.ToJsonString());
            var plain = await DecryptBytesAsync(json, "json", "json", Describe(document), cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(plain) as JsonObject ?? throw new InvalidFileException($"{Describe(document)}: the decrypted document is not an object");
        }

        if (SopsDetection.Text(document["apiVersion"]) == "v1" && SopsDetection.Text(document["kind"]) == "Secret" && document["data"] is JsonObject data)
        {
            await DecryptDataAsync(document, data, cancellationToken).ConfigureAwait(false);
        }

        return document;
    }

    private async Task DecryptDataAsync(JsonObject document, JsonObject data, CancellationToken cancellationToken)
    {
        foreach (var (key, node) in data.ToList())
        {
            // Non-base64 values are left for the API server to reject, like Flux does.
            if (SopsDetection.Text(node) is not { } text || !TryFromBase64(text, out var bytes))
            {
                continue;
            }

            if (SopsDetection.MarkerFormat(bytes) is not { } format)
            {
                continue;
            }

            var plain = await DecryptBytesAsync(bytes, format, SopsDetection.OutputFormatForKey(key), $"{Describe(document)} data \"{key}\"", cancellationToken).ConfigureAwait(false);
            data[key] = Convert.ToBase64String(plain);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Decrypts one sops file given its input format and writes it in the output format.</summary>
    public async Task<byte[]> DecryptBytesAsync(byte[] encrypted, string inputFormat, string outputFormat, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        if (encrypted.Length > MaxEncryptedSize)
        {
            throw new InvalidFileException($"{what}: the sops file is larger than {MaxEncryptedSize / (1024 * 1024)} MiB");
        }

        try
        {
            var file = StoreFactory.Create(inputFormat).LoadEncrypted(encrypted);
            var ignoreMac = macCheck switch
            {
                MacCheck.Always => false,
                MacCheck.WhenMacOnlyEncrypted => !file.Metadata.Rules.MacOnlyEncrypted,
                _ => true,
            };
            using var decrypted = await SopsEngine.DecryptAsync(file, recovery, ignoreMac, cancellationToken).ConfigureAwait(false);
            return StoreFactory.Create(outputFormat, yamlIndent: 2, jsonIndent: 2).EmitPlain(decrypted.Documents);
        }
        catch (SecretsException e)
        {
            throw Wrap(e, $"{what}: {e.Message}");
        }
    }

    /// <summary><c>Kind/namespace/name</c> as Flux names objects in its messages.</summary>
    public static string Describe(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var ns = SopsDetection.Text(document["metadata"]?["namespace"]);
        var name = SopsDetection.Text(document["metadata"]?["name"]) ?? "(unnamed)";
        return $"{SopsDetection.Text(document["kind"]) ?? "(no kind)"}/{(ns is null ? "" : ns + "/")}{name}";
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }

    /// <summary>The same failure with the object named in front; kind, hints and key attempts are kept.</summary>
    private static SecretsException Wrap(SecretsException inner, string message) => inner switch
    {
        NoMatchingKeyException noKey => new NoMatchingKeyException(message, noKey.Attempts, inner) { Hints = inner.Hints },
        IntegrityException => new IntegrityException(message, inner) { Hints = inner.Hints },
        InvalidFileException => new InvalidFileException(message, inner) { Hints = inner.Hints },
        KeyProviderException => new SecretsOperationException(ErrorKind.KeyProvider, message, inner) { Hints = inner.Hints },
        _ => new SecretsOperationException(inner.Kind, message, inner) { Hints = inner.Hints },
    };
}
