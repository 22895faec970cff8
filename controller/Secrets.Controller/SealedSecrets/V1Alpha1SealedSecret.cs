using System.Text.Json.Nodes;
using k8s;
using Secrets.Controller.Framework;
using Secrets.Sealing;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// <c>bitnami.com/v1alpha1 SealedSecret</c> as the informer holds it (sealed-secrets.md §2.1). Spec and status stay JSON so
/// a malformed CR never breaks the informer (§2.1 "decoded leniently"); <see cref="ToSealedSecret"/> parses at the edge.
/// </summary>
public sealed class V1Alpha1SealedSecret : CustomResource<JsonObject, JsonObject>
{
    public const string Group = "bitnami.com";
    public const string Version = "v1alpha1";
    public const string Plural = "sealedsecrets";

    public static IResourceApi<V1Alpha1SealedSecret> Api(IKubernetes client) =>
        ResourceApi.Custom<V1Alpha1SealedSecret>(client, Group, Version, Plural);

    /// <summary>The sealing library's model; throws <see cref="Secrets.Core.InvalidFileException"/> for a malformed spec.</summary>
    public SealedSecret ToSealedSecret()
    {
        var document = new JsonObject
        {
            ["apiVersion"] = SealedSecret.ApiVersion,
            ["kind"] = SealedSecret.Kind,
            ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(Metadata)),
            ["spec"] = Spec?.DeepClone() ?? new JsonObject(),
        };
        return SealedSecret.FromDocument(document, $"SealedSecret {Metadata.NamespaceProperty}/{Metadata.Name}");
    }
}
