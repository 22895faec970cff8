using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing;

/// <summary>
/// A <c>bitnami.com/v1alpha1 SealedSecret</c> (§2.1). The outer metadata decides the OAEP label (§1.3);
/// <see cref="EncryptedData"/> holds one independently sealed base64 blob per item.
/// </summary>
public sealed class SealedSecret
{
    public const string ApiVersion = "bitnami.com/v1alpha1";
    public const string Kind = "SealedSecret";

    public KubeMetadata Metadata { get; init; } = new();

    public SortedDictionary<string, string> EncryptedData { get; init; } = new(StringComparer.Ordinal);

    public SealedSecretTemplate Template { get; init; } = new();

    /// <summary>The deprecated v1 all-in-one blob (<c>spec.data</c>, §2.6); read and written back, never produced.</summary>
    public string? LegacyData { get; set; }

    /// <summary>The scope from the outer annotations (§1.3: the template's annotations do not count).</summary>
    public SealedSecretScope Scope => ScopeAnnotations.FromAnnotations(Metadata.Annotations);

    /// <summary>The OAEP label every item of this object is sealed with.</summary>
    public byte[] Label => ScopeAnnotations.Label(Scope, Metadata.Namespace, Metadata.Name);

    public static bool IsSealedSecret(JsonObject document) =>
        document is not null && Nodes.GetString(document["kind"]) == Kind && Nodes.GetString(document["apiVersion"]) is null or ApiVersion;

    public static SealedSecret FromDocument(JsonObject document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!IsSealedSecret(document))
        {
            var kind = Nodes.GetString(document["kind"]) ?? "(no kind)";
            throw new InvalidFileException($"\"{source}\" holds a {kind}, not a {ApiVersion} SealedSecret");
        }

        var spec = document["spec"] as JsonObject
            ?? throw new InvalidFileException($"\"{source}\": SealedSecret \"{Nodes.GetString(document["metadata"]?["name"])}\" has no spec");
        return new SealedSecret
        {
            Metadata = new KubeMetadata(document["metadata"]?.DeepClone() as JsonObject),
            EncryptedData = Nodes.GetStringMap(spec["encryptedData"], "spec.encryptedData", source),
            Template = SealedSecretTemplate.FromNode(spec["template"] as JsonObject, source),
            LegacyData = Nodes.GetString(spec["data"]),
        };
    }

    /// <summary>The object in kubeseal's JSON field order: kind, apiVersion, metadata, spec{template, data, encryptedData}.</summary>
    public JsonObject ToDocument()
    {
        var spec = new JsonObject { ["template"] = Template.ToNode() };
        if (LegacyData is not null)
        {
            spec["data"] = LegacyData;
        }

        spec["encryptedData"] = Nodes.ToObject(EncryptedData);
        return new JsonObject
        {
            ["kind"] = Kind,
            ["apiVersion"] = ApiVersion,
            ["metadata"] = Metadata.ToOutputNode(),
            ["spec"] = spec,
        };
    }

    public override string ToString() => $"SealedSecret {Metadata.Namespace}/{Metadata.Name} ({Scope.ToFlagValue()}, {EncryptedData.Count} items)";
}
