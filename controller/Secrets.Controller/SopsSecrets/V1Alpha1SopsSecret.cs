using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using Secrets.Controller.Framework;
using Secrets.Sops.Kubernetes;

namespace Secrets.Controller.SopsSecrets;

/// <summary>
/// <c>secrets.gitops.dev/v1alpha1 SopsSecret</c> as the informer holds it (docs/gitops.md). Spec, the top-level
/// <c>sops</c> metadata and status stay JSON; <see cref="ToDocument"/> rebuilds the document sops encrypted.
/// </summary>
public sealed class V1Alpha1SopsSecret : CustomResource<JsonObject, JsonObject>
{
    [JsonPropertyName("sops")]
    public JsonObject? Sops { get; set; }

    public static IResourceApi<V1Alpha1SopsSecret> Api(IKubernetes client) =>
        ResourceApi.Custom<V1Alpha1SopsSecret>(client, SopsSecretDocument.Group, SopsSecretDocument.Version, SopsSecretDocument.Plural);

    /// <summary>The secret Flux-style key Secret this object names in its own namespace (<c>spec.decryption.secretRef.name</c>).</summary>
    public string? DecryptionSecretName =>
        Spec?["decryption"]?["secretRef"]?["name"] is JsonValue value && value.TryGetValue<string>(out var name) && name.Length > 0 ? name : null;

    /// <summary>
    /// Only what the encryptor saw: apiVersion, kind, name, namespace, spec and sops. Server-side fields (managedFields,
    /// status) are left out so they can never match <c>encrypted_regex</c>.
    /// </summary>
    public JsonObject ToDocument()
    {
        var metadata = new JsonObject { ["name"] = Metadata.Name };
        if (Metadata.NamespaceProperty is { } ns)
        {
            metadata["namespace"] = ns;
        }

        var document = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = metadata,
            ["spec"] = Spec?.DeepClone(),
        };
        if (Sops is not null)
        {
            document["sops"] = Sops.DeepClone();
        }

        return document;
    }
}
