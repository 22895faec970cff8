using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>A namespaced custom resource with a spec and a status, deserialized by KubernetesClient's JSON options.</summary>
/// <typeparam name="TSpec">The spec type (a <c>JsonObject</c> keeps unknown or malformed fields readable).</typeparam>
/// <typeparam name="TStatus">The status type.</typeparam>
public class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}

/// <summary>The list shape of <see cref="CustomResource{TSpec, TStatus}"/> responses.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}
