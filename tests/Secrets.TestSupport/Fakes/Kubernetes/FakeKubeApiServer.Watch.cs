using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// Watches (test-infra.md §2 pitfalls 1–5): 200 + one JSON line per event, flushed each; resourceVersion unset/"0" gives
/// synthetic ADDED lines for the current state, an exact version replays the log after it, a compacted one gets a 410
/// ERROR line; BOOKMARKs when allowed; <c>timeoutSeconds</c> ends the stream; selectors filter per watch.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private async Task WatchAsync(HttpContext context, KubeResource resource, string? ns, IQueryCollection query)
    {
        var subscription = new WatchSubscription(resource, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], resource));
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = _options.MaxWatchTimeout;
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout = TimeSpan.FromSeconds(Math.Min(seconds, timeout.TotalSeconds));
        }

        Subscribe(subscription, query["resourceVersion"].ToString(), query["sendInitialEvents"].ToString() == "true", bookmarks);
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscription.Dropped.Token, _server!.Stopping);
            stop.CancelAfter(timeout);
            await StreamAsync(context, subscription, bookmarks, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or fake stopping: end the stream. A dropped watch loses its connection outright.
            if (subscription.Dropped.IsCancellationRequested)
            {
                context.Abort();
            }
        }
        finally
        {
            lock (_store.Gate)
            {
                _store.Watchers.Remove(subscription);
            }

            subscription.Dropped.Dispose();
        }
    }

    private void Subscribe(WatchSubscription subscription, string resourceVersion, bool sendInitialEvents, bool bookmarks)
    {
        lock (_store.Gate)
        {
            if (sendInitialEvents || resourceVersion is "" or "0")
            {
                foreach (var obj in _store.List(subscription.Resource, null))
                {
                    subscription.Offer(new StoredEvent(_store.ResourceVersion, subscription.Resource, ObjectRules.Namespace(obj), null, obj));
                }

                if (sendInitialEvents && bookmarks)
                {
                    var end = Bookmark(subscription.Resource);
                    ObjectRules.Metadata(end)["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                    subscription.Send("BOOKMARK", end);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw KubeApiException.BadRequest($"invalid resource version: \"{resourceVersion}\"");
                }

                if (from < _store.CompactedRevision)
                {
                    subscription.Expire($"too old resource version: {from} ({_store.CompactedRevision})");
                }
                else
                {
                    foreach (var change in _store.Log.Where(e => e.ResourceVersion > from))
                    {
                        subscription.Offer(change);
                    }
                }
            }

            _store.Watchers.Add(subscription);
        }
    }

    private async Task StreamAsync(HttpContext context, WatchSubscription subscription, bool bookmarks, CancellationToken cancellationToken)
    {
        var reader = subscription.Lines.Reader;
        while (true)
        {
            bool more;
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (bookmarks)
                {
                    tick.CancelAfter(_options.BookmarkInterval);
                }

                try
                {
                    more = await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Idle: a bookmark, queued under the lock so it can never overtake a committed event.
                    lock (_store.Gate)
                    {
                        subscription.Send("BOOKMARK", Bookmark(subscription.Resource));
                    }

                    continue;
                }
            }

            if (!more)
            {
                return;
            }

            while (reader.TryRead(out var line))
            {
                var json = new JsonObject { ["type"] = line.Type, ["object"] = line.Object }.ToJsonString(FakeJson.Options);
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json + "\n"), cancellationToken);
            }

            await context.Response.Body.FlushAsync(cancellationToken);
        }
    }

    private JsonObject Bookmark(KubeResource resource) => new()
    {
        ["kind"] = resource.Kind,
        ["apiVersion"] = resource.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = _store.CurrentVersionText },
    };
}
