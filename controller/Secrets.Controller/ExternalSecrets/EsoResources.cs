using System.Text.Json.Nodes;
using k8s;
using Secrets.Controller.Framework;
using Secrets.ExternalSecrets.Api;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>external-secrets.io/v1 ExternalSecret as the informer holds it; spec/status stay JSON and are parsed at the edge.</summary>
public sealed class V1ExternalSecret : CustomResource<JsonObject, JsonObject>
{
    public const string Plural = "externalsecrets";

    public static IResourceApi<V1ExternalSecret> Api(IKubernetes client) => ResourceApi.Custom<V1ExternalSecret>(client, ApiGroup.Group, ApiGroup.Version, Plural);
}

/// <summary>external-secrets.io/v1 SecretStore.</summary>
public sealed class V1SecretStore : CustomResource<JsonObject, JsonObject>
{
    public const string Plural = "secretstores";

    public static IResourceApi<V1SecretStore> Api(IKubernetes client) => ResourceApi.Custom<V1SecretStore>(client, ApiGroup.Group, ApiGroup.Version, Plural);
}

/// <summary>external-secrets.io/v1 ClusterSecretStore (cluster-scoped).</summary>
public sealed class V1ClusterSecretStore : CustomResource<JsonObject, JsonObject>
{
    public const string Plural = "clustersecretstores";

    public static IResourceApi<V1ClusterSecretStore> Api(IKubernetes client) => ResourceApi.Custom<V1ClusterSecretStore>(client, ApiGroup.Group, ApiGroup.Version, Plural);
}

/// <summary>external-secrets.io/v1 ClusterExternalSecret (cluster-scoped).</summary>
public sealed class V1ClusterExternalSecret : CustomResource<JsonObject, JsonObject>
{
    public const string Plural = "clusterexternalsecrets";

    public static IResourceApi<V1ClusterExternalSecret> Api(IKubernetes client) => ResourceApi.Custom<V1ClusterExternalSecret>(client, ApiGroup.Group, ApiGroup.Version, Plural);
}

/// <summary>Typed object ⇄ JSON for the ESO library's parsers.</summary>
internal static class EsoJson
{
    public static JsonObject ToJson<T>(T resource) => JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject ?? [];

    public static T FromJson<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());
}
