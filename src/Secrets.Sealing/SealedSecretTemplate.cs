using System.Text.Json.Nodes;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing;

/// <summary><c>spec.template</c>: the shape of the Secret the controller produces (§2.1, §2.2).</summary>
public sealed class SealedSecretTemplate
{
    public KubeMetadata Metadata { get; init; } = new();

    public string? Type { get; set; }

    public bool? Immutable { get; set; }

    /// <summary>Go-template strings rendered with the decrypted values (<c>{{ .key }}</c>); not secret themselves.</summary>
    public SortedDictionary<string, string> Data { get; init; } = new(StringComparer.Ordinal);

    internal static SealedSecretTemplate FromNode(JsonObject? node, string source) => new()
    {
        Metadata = new KubeMetadata(node?["metadata"]?.DeepClone() as JsonObject),
        Type = Nodes.GetString(node?["type"]),
        Immutable = Nodes.GetBool(node?["immutable"]),
        Data = Nodes.GetStringMap(node?["data"], "spec.template.data", source),
    };

    /// <summary>SecretTemplateSpec in Go field order: metadata, type, immutable, data.</summary>
    internal JsonObject ToNode()
    {
        var node = new JsonObject { ["metadata"] = Metadata.ToOutputNode() };
        if (Type is not null)
        {
            node["type"] = Type;
        }

        if (Immutable is { } immutable)
        {
            node["immutable"] = immutable;
        }

        if (Data.Count > 0)
        {
            node["data"] = Nodes.ToObject(Data);
        }

        return node;
    }
}
