using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// One open watch: its filter and the queue of lines to send. Events are offered under the store lock, so the order of
/// lines equals commit order (bookmarks included).
/// </summary>
internal sealed class WatchSubscription(KubeResource resource, string? ns, LabelSelector labels, FieldSelector fields)
{
    public KubeResource Resource { get; } = resource;

    public Channel<(string Type, JsonNode Object)> Lines { get; } = Channel.CreateUnbounded<(string, JsonNode)>();

    /// <summary>Cancelled to cut the connection (fault injection: dropped watches).</summary>
    public CancellationTokenSource Dropped { get; } = new();

    public bool Matches(JsonObject obj) => labels.Matches(obj) && fields.Matches(obj);

    /// <summary>Translates a store change into what this watcher sees: a change that leaves the filter is DELETED, one that enters it ADDED.</summary>
    public void Offer(StoredEvent change)
    {
        if (change.Resource.StorageKey != Resource.StorageKey || (ns is not null && ns != change.Namespace))
        {
            return;
        }

        var was = change.Old is not null && Matches(change.Old);
        var now = change.New is not null && Matches(change.New);
        var type = (was, now) switch
        {
            (false, true) => "ADDED",
            (true, true) => "MODIFIED",
            (true, false) => "DELETED",
            _ => null,
        };
        if (type is null)
        {
            return;
        }

        var obj = (change.New ?? change.Old!).DeepClone().AsObject();
        if (change.New is null || !now)
        {
            // A DELETED line carries the final state stamped with the deletion's resourceVersion, like the real server.
            obj["metadata"]!["resourceVersion"] = change.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Send(type, obj);
    }

    public void Send(string type, JsonObject obj)
    {
        ObjectRules.Stamp(obj, Resource);
        Lines.Writer.TryWrite((type, obj));
    }

    /// <summary>Ends the watch with an ERROR line carrying a 410 Expired Status (the client must relist).</summary>
    public void Expire(string message)
    {
        Lines.Writer.TryWrite(("ERROR", KubeApiException.Status(410, "Expired", message)));
        Lines.Writer.TryComplete();
    }
}
