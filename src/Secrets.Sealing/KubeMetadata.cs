using System.Text.Json.Nodes;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing;

/// <summary>
/// A Kubernetes ObjectMeta kept as the JSON it was read from (labels, finalizers and unknown fields survive),
/// with typed access to what sealing needs.
/// </summary>
public sealed class KubeMetadata
{
    // ObjectMeta's Go field order, which is the order kubeseal's JSON output uses (§4.3).
    private static readonly string[] FieldOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    public KubeMetadata(JsonObject? node = null)
    {
        Node = node ?? [];
    }

    /// <summary>The underlying object; edits show up in the output.</summary>
    public JsonObject Node { get; }

    public string? Name
    {
        get => Nodes.GetString(Node["name"]) is { Length: > 0 } name ? name : null;
        set => Set("name", value);
    }

    public string? Namespace
    {
        get => Nodes.GetString(Node["namespace"]) is { Length: > 0 } ns ? ns : null;
        set => Set("namespace", value);
    }

    public SortedDictionary<string, string> Annotations
    {
        get => Nodes.GetStringMap(Node["annotations"], "metadata.annotations", "metadata");
        set => Node["annotations"] = value is null || value.Count == 0 ? null : Nodes.ToObject(value);
    }

    public SortedDictionary<string, string> Labels
    {
        get => Nodes.GetStringMap(Node["labels"], "metadata.labels", "metadata");
        set => Node["labels"] = value is null || value.Count == 0 ? null : Nodes.ToObject(value);
    }

    public KubeMetadata Clone() => new((JsonObject)Node.DeepClone());

    /// <summary>Removes fields; absent ones are ignored.</summary>
    public void Remove(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            Node.Remove(field);
        }
    }

    /// <summary>A copy in Go field order with <c>creationTimestamp</c> present (null when unset), nulls of maps dropped.</summary>
    public JsonObject ToOutputNode()
    {
        var output = new JsonObject();
        foreach (var field in FieldOrder)
        {
            if (field == "creationTimestamp")
            {
                output[field] = Node[field]?.DeepClone();
            }
            else if (Node[field] is { } value)
            {
                output[field] = value.DeepClone();
            }
        }

        foreach (var (key, value) in Node)
        {
            if (!FieldOrder.Contains(key) && value is not null)
            {
                output[key] = value.DeepClone();
            }
        }

        return output;
    }

    private void Set(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Node.Remove(field);
        }
        else
        {
            Node[field] = JsonValue.Create(value);
        }
    }
}
