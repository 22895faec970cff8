using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Secrets.TestSupport.Tests.Kubernetes;

public sealed class KubeWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static V1Secret Secret(string name, string? app = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = app is null ? null : new Dictionary<string, string> { ["app"] = app } },
        StringData = new Dictionary<string, string> { ["k"] = "v" },
    };

    /// <summary>Runs the IAsyncEnumerable watch (test-infra.md §2 pitfalls 3–4: onError, timeoutSeconds, a token) into a channel.</summary>
    private sealed class Watcher : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new(Bound);

        public Watcher(IKubernetes client, string? resourceVersion, string? labelSelector = null, int timeoutSeconds = 10)
        {
            Done = Task.Run(async () =>
            {
                await foreach (var (type, secret) in client.CoreV1.WatchListNamespacedSecretAsync(
                    "apps", labelSelector: labelSelector, resourceVersion: resourceVersion, allowWatchBookmarks: true,
                    timeoutSeconds: timeoutSeconds, onError: e => Errors.Writer.TryWrite(e), cancellationToken: _cancel.Token))
                {
                    Events.Writer.TryWrite((type, secret));
                }
            });
        }

        public Channel<(WatchEventType Type, V1Secret Secret)> Events { get; } = Channel.CreateUnbounded<(WatchEventType, V1Secret)>();

        public Channel<Exception> Errors { get; } = Channel.CreateUnbounded<Exception>();

        public Task Done { get; }

        public async Task<(WatchEventType Type, V1Secret Secret)> NextAsync()
        {
            while (true)
            {
                var next = await Events.Reader.ReadAsync(_cancel.Token);
                if (next.Type != WatchEventType.Bookmark)
                {
                    return next;
                }
            }
        }

        public async Task<V1Secret> NextBookmarkAsync()
        {
            while (true)
            {
                var next = await Events.Reader.ReadAsync(_cancel.Token);
                if (next.Type == WatchEventType.Bookmark)
                {
                    return next.Secret;
                }
            }
        }

        public void Dispose()
        {
            _cancel.Cancel();
            _cancel.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Watch_from_a_list_version_sees_added_modified_deleted_and_bookmarks(bool https)
    {
        await using var session = await KubeSession.StartAsync(https);
        var (fake, client) = session;
        var listed = await client.CoreV1.ListNamespacedSecretAsync("apps");
        using var watch = new Watcher(client, listed.Metadata.ResourceVersion);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 1, Bound);

        await client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), "apps");
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "a", "apps");
        await client.CoreV1.DeleteNamespacedSecretAsync("a", "apps");

        Assert.Equal(WatchEventType.Added, (await watch.NextAsync()).Type);
        var modified = await watch.NextAsync();
        Assert.Equal((WatchEventType.Modified, "y"), (modified.Type, modified.Secret.Metadata.Labels["x"]));
        var deleted = await watch.NextAsync();
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal(fake.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), deleted.Secret.Metadata.ResourceVersion);
        var bookmark = await watch.NextBookmarkAsync();
        Assert.Equal(deleted.Secret.Metadata.ResourceVersion, bookmark.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_without_version_starts_with_synthetic_added_events()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), "apps");

        using var watch = new Watcher(client, resourceVersion: null);

        var first = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "a"), (first.Type, first.Secret.Metadata.Name));
        var second = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "b"), (second.Type, second.Secret.Metadata.Name));
    }

    [Fact]
    public async Task Watch_from_an_exact_version_replays_only_later_changes()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var a = await client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), "apps");

        using var watch = new Watcher(client, a.Metadata.ResourceVersion);

        var replayed = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "b"), (replayed.Type, replayed.Secret.Metadata.Name));
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_reports_410_through_onError()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        var a = await client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), "apps");
        fake.Compact();

        using var watch = new Watcher(client, a.Metadata.ResourceVersion);

        var error = Assert.IsType<KubernetesException>(await watch.Errors.Reader.ReadAsync());
        Assert.Equal(410, error.Status.Code);
        await watch.Done.WaitAsync(Bound);
    }

    [Fact]
    public async Task Compaction_expires_open_watches_with_410()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        using var watch = new Watcher(client, resourceVersion: null);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 1, Bound);

        fake.Compact(expireWatches: true);

        Assert.Equal(410, Assert.IsType<KubernetesException>(await watch.Errors.Reader.ReadAsync()).Status.Code);
        await watch.Done.WaitAsync(Bound);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 0, Bound);
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream_and_dropped_watches_end_too()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        using var shortWatch = new Watcher(client, resourceVersion: null, timeoutSeconds: 1);
        await shortWatch.Done.WaitAsync(Bound);

        using var dropped = new Watcher(client, resourceVersion: null);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 1, Bound);
        fake.DropWatches();
        await Task.WhenAny(dropped.Done).WaitAsync(Bound);
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 0, Bound);
    }

    [Fact]
    public async Task Label_selector_watch_sees_objects_enter_and_leave_the_selection()
    {
        await using var session = await KubeSession.StartAsync();
        var (fake, client) = session;
        using var watch = new Watcher(client, resourceVersion: null, labelSelector: "app=web");
        await fake.WaitUntilAsync(f => f.ActiveWatchCount == 1, Bound);

        await client.CoreV1.CreateNamespacedSecretAsync(Secret("other", "db"), "apps");
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("web", "web"), "apps");
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"app":"gone"}}}""", V1Patch.PatchType.MergePatch), "web", "apps");

        var added = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "web"), (added.Type, added.Secret.Metadata.Name));
        var left = await watch.NextAsync();
        Assert.Equal((WatchEventType.Deleted, "web"), (left.Type, left.Secret.Metadata.Name));
    }
}
