using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using Secrets.Controller.Framework;
using Secrets.Sealing;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// <c>bitnami.com/v1alpha1 SealedSecret</c> as the informer holds it (sealed-secrets.md §2.1). Spec and status stay JSON so
/// a malformed CR never breaks the informer (§2.1 "decoded leniently"); <see cref="ToSealedSecret"/> parses at the edge.
/// The informer caches <see cref="Compact"/> copies: the spec is replaced by its <see cref="UnsealStamp.Inputs"/> hash,
/// and the reconciler reads the whole object from the API server only when it has to unseal.
/// </summary>
public sealed class V1Alpha1SealedSecret : CustomResource<JsonObject, JsonObject>
{
    public const string Group = "bitnami.com";
    public const string Version = "v1alpha1";
    public const string Plural = "sealedsecrets";

    public static IResourceApi<V1Alpha1SealedSecret> Api(IKubernetes client) =>
        ResourceApi.Custom<V1Alpha1SealedSecret>(client, Group, Version, Plural);

    private SyncedStatus? _cachedSyncedStatus;

    /// <summary>What the controller reads of the status (kept by <see cref="Compact"/>, which drops the status itself).</summary>
    [JsonIgnore]
    public SyncedStatus? SyncedStatus => CachedInputs is null ? SyncedStatusOf(Status) : _cachedSyncedStatus;

    /// <summary>The <see cref="UnsealStamp.Inputs"/> of the spec <see cref="Compact"/> dropped; null on an object read whole.</summary>
    [JsonIgnore]
    public string? CachedInputs { get; private set; }

    /// <summary>
    /// What the informer keeps (issue 6: 10k cached SealedSecrets were most of the controller's memory): metadata without
    /// managedFields and last-applied annotations; instead of the spec (RSA ciphertexts) the hash of it that the restart check
    /// compares; instead of the status (JSON) the <see cref="SyncedStatus"/> that <see cref="SealedSecretStatus"/> compares.
    /// </summary>
    public static V1Alpha1SealedSecret Compact(V1Alpha1SealedSecret resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.CachedInputs = UnsealStamp.Inputs(resource);
        resource.Spec = null;
        resource.Metadata.Annotations?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        CacheCompaction.WithoutManagedFields(resource, readOnlyMaps: true);
        resource._cachedSyncedStatus = SyncedStatusOf(resource.Status);
        resource.Status = null;
        return resource;
    }

    private static SyncedStatus? SyncedStatusOf(JsonObject? status)
    {
        if (status is null)
        {
            return null;
        }

        var synced = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Synced");
        var generation = status["observedGeneration"] is JsonValue value && value.TryGetValue<long>(out var number) ? number : (long?)null;
        return new SyncedStatus(generation, StringPool.Shared(Text(synced?["status"])), Text(synced?["message"]), Text(synced?["lastTransitionTime"]));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The sealing library's model; throws <see cref="Secrets.Core.InvalidFileException"/> for a malformed spec.</summary>
    public SealedSecret ToSealedSecret()
    {
        if (CachedInputs is not null)
        {
            throw new InvalidOperationException("a compact cache entry has no spec: read the SealedSecret from the API server");
        }

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

/// <summary>
/// The status fields the controller compares before writing (sealed-secrets.md §2.5): <c>observedGeneration</c> and the
/// <c>Synced</c> condition's status, message and lastTransitionTime; <see cref="Status"/> is null without a Synced condition.
/// </summary>
public sealed record SyncedStatus(long? ObservedGeneration, string? Status, string? Message, string? LastTransitionTime);
