using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing;

/// <summary>
/// A plain Kubernetes <c>v1/Secret</c>: metadata, type, immutable and data as bytes. <c>stringData</c> is folded
/// into <see cref="Data"/> and wins on a clash, as the API server does (§2.2).
/// </summary>
public sealed class SecretManifest
{
    public KubeMetadata Metadata { get; init; } = new();

    public string? Type { get; set; }

    public bool? Immutable { get; set; }

    /// <summary>Values by key, sorted like Go writes maps. Callers should clear the arrays when done.</summary>
    public SortedDictionary<string, byte[]> Data { get; init; } = new(StringComparer.Ordinal);

    public static bool IsSecret(JsonObject document) =>
        document is not null && Nodes.GetString(document["kind"]) == "Secret" && Nodes.GetString(document["apiVersion"]) is null or "v1";

    /// <summary>Reads a Secret; anything else (or bad base64 in <c>data</c>) is an <see cref="InvalidFileException"/>.</summary>
    public static SecretManifest FromDocument(JsonObject document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!IsSecret(document))
        {
            var kind = Nodes.GetString(document["kind"]) ?? "(no kind)";
            throw new InvalidFileException($"\"{source}\" holds a {kind}, not a v1 Secret")
            {
                Hints = ["the input must be a Secret, e.g. kubectl create secret generic NAME --from-literal=k=v --dry-run=client -o yaml"],
            };
        }

        var secret = new SecretManifest
        {
            Metadata = new KubeMetadata(document["metadata"]?.DeepClone() as JsonObject),
            Type = Nodes.GetString(document["type"]),
            Immutable = Nodes.GetBool(document["immutable"]),
        };
        foreach (var (key, value) in Nodes.GetStringMap(document["data"], "data", source))
        {
            try
            {
                secret.Data[key] = Convert.FromBase64String(value);
            }
            catch (FormatException e)
            {
                throw new InvalidFileException($"\"{source}\": data.\"{key}\" is not valid base64", e)
                {
                    Hints = ["put plain text under stringData instead of data"],
                };
            }
        }

        foreach (var (key, value) in Nodes.GetStringMap(document["stringData"], "stringData", source))
        {
            secret.Data[key] = Encoding.UTF8.GetBytes(value);
        }

        return secret;
    }

    /// <summary>The Secret as kubeseal --recovery-unseal prints it: v1.Secret field order (kind, apiVersion, metadata, immutable, data, type).</summary>
    public JsonObject ToDocument()
    {
        var document = new JsonObject
        {
            ["kind"] = "Secret",
            ["apiVersion"] = "v1",
            ["metadata"] = Metadata.ToOutputNode(),
        };
        if (Immutable is { } immutable)
        {
            document["immutable"] = immutable;
        }

        if (Data.Count > 0)
        {
            document["data"] = Nodes.ToObject(Data.Select(p => KeyValuePair.Create(p.Key, Convert.ToBase64String(p.Value))));
        }

        if (Type is not null)
        {
            document["type"] = Type;
        }

        return document;
    }

    /// <summary>Zeroes every value.</summary>
    public void Clear()
    {
        foreach (var value in Data.Values)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
        }
    }

    public override string ToString() => $"Secret {Metadata.Namespace}/{Metadata.Name} ({Data.Count} items, values redacted)";
}
