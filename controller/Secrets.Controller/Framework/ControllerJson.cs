using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Secrets.Controller.ExternalSecrets;
using Secrets.Controller.SealedSecrets;
using Secrets.Controller.SopsSecrets;

namespace Secrets.Controller.Framework;

/// <summary>
/// Source-generated JSON metadata for every type the controller sends to or reads from the API server through
/// KubernetesClient (requests, responses, watch events, custom resources, leader election, Events). KubernetesClient
/// serializes through one global <see cref="JsonSerializerOptions"/> whose resolver falls back to reflection; the Native AOT
/// controller has no reflection-based serialization (docs/controller.md "Native AOT"), so <see cref="InstallForNativeAot"/>
/// makes this context the only resolver there: a type missing here fails loudly instead of being half-serialized.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1SecretList))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1NamespaceList))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(Authenticationv1TokenRequest))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(V1DeleteOptions))]
[JsonSerializable(typeof(V1Patch))]
[JsonSerializable(typeof(KubernetesObject))]
[JsonSerializable(typeof(Watcher<KubernetesObject>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1Status>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1Secret>.WatchEvent))]
[JsonSerializable(typeof(Watcher<object>.WatchEvent))]
[JsonSerializable(typeof(V1Alpha1SealedSecret))]
[JsonSerializable(typeof(CustomResourceList<V1Alpha1SealedSecret>))]
[JsonSerializable(typeof(V1Alpha1SopsSecret))]
[JsonSerializable(typeof(CustomResourceList<V1Alpha1SopsSecret>))]
[JsonSerializable(typeof(V1ExternalSecret))]
[JsonSerializable(typeof(CustomResourceList<V1ExternalSecret>))]
[JsonSerializable(typeof(V1SecretStore))]
[JsonSerializable(typeof(CustomResourceList<V1SecretStore>))]
[JsonSerializable(typeof(V1ClusterSecretStore))]
[JsonSerializable(typeof(CustomResourceList<V1ClusterSecretStore>))]
[JsonSerializable(typeof(V1ClusterExternalSecret))]
[JsonSerializable(typeof(CustomResourceList<V1ClusterExternalSecret>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonDocument))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string))]
internal sealed partial class ControllerJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Native AOT only (<see cref="RuntimeFeature.IsDynamicCodeSupported"/> false): makes this context KubernetesClient's
    /// only resolver. Call before the first request, since options lock on first use (<c>Program</c> does). Under the JIT
    /// (tests host the controller in-process next to the fake API server and their own clients) nothing changes.
    /// </summary>
    public static void InstallForNativeAot()
    {
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            return;
        }

        KubernetesJson.AddJsonOptions(options =>
        {
            options.TypeInfoResolverChain.Clear();
            options.TypeInfoResolverChain.Add(Default);

            // The non-generic JsonStringEnumConverter builds its converter with MakeGenericType, which Native AOT cannot do
            // for an enum it did not compile; the only enum on the wire here is the watch event type.
            for (var i = options.Converters.Count - 1; i >= 0; i--)
            {
                if (options.Converters[i] is JsonStringEnumConverter)
                {
                    options.Converters.RemoveAt(i);
                }
            }

            options.Converters.Add(new JsonStringEnumConverter<WatchEventType>());
        });
    }
}
