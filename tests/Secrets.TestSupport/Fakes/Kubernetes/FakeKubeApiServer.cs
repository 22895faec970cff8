using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// A stateful in-memory Kubernetes API server on 127.0.0.1 that the real KubernetesClient (or kubectl) talks to over real
/// HTTP: CRUD, patches, watches with resumption and 410, CRDs, status subresources, ownerReference GC, discovery, service
/// proxy, fault injection and a request log (test-infra.md §2). <c>await using var kube = await FakeKubeApiServer.StartAsync();</c>
/// </summary>
public sealed partial class FakeKubeApiServer : IAsyncDisposable
{
    private readonly FakeKubeApiServerOptions _options;
    private readonly KubeStore _store;
    private readonly ResourceCatalog _catalog = new();
    private readonly List<KubeRequest> _requests = [];
    private LoopbackServer? _server;

    private FakeKubeApiServer(FakeKubeApiServerOptions options, TestCertificateAuthority? tls)
    {
        _options = options;
        _store = new KubeStore(options.EventLogCapacity);
        CertificateAuthority = tls;
    }

    /// <summary><c>http(s)://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary>The CA clients must trust when <see cref="FakeKubeApiServerOptions.UseHttps"/> is on; null over plain http.</summary>
    public TestCertificateAuthority? CertificateAuthority { get; }

    /// <summary>The required bearer token, if any.</summary>
    public string? BearerToken => _options.BearerToken;

    /// <summary>Failures and delays to inject into matching requests.</summary>
    public KubeFaults Faults { get; } = new();

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_store.Gate)
            {
                return _store.ResourceVersion;
            }
        }
    }

    /// <summary>Every request served so far, in arrival order (for RBAC assertions).</summary>
    public IReadOnlyList<KubeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The number of watches currently open.</summary>
    public int ActiveWatchCount
    {
        get
        {
            lock (_store.Gate)
            {
                return _store.Watchers.Count;
            }
        }
    }

    /// <summary>All resources served right now (built-ins plus those of stored CRDs).</summary>
    public IReadOnlyList<KubeResource> Resources => _catalog.All;

    public static async Task<FakeKubeApiServer> StartAsync(FakeKubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKubeApiServerOptions();
        var fake = new FakeKubeApiServer(options, options.UseHttps ? TestCertificateAuthority.Create() : null);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync, fake.CertificateAuthority, cancellationToken);
        return fake;
    }

    public void ClearRequests()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    /// <summary>Forgets the event log as an etcd compaction does; with <paramref name="expireWatches"/> open watches get a 410 ERROR and close.</summary>
    public void Compact(bool expireWatches = true)
    {
        lock (_store.Gate)
        {
            _store.Compact(expireWatches);
        }
    }

    /// <summary>Cuts every open watch connection (no ERROR line), as a restarting API server or a flaky network does.</summary>
    public void DropWatches()
    {
        lock (_store.Gate)
        {
            foreach (var watcher in _store.Watchers)
            {
                watcher.Dropped.Cancel();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        CertificateAuthority?.Dispose();
    }

    private KubeResource Resolve(JsonObject obj)
    {
        var apiVersion = ObjectRules.Text(obj["apiVersion"]) ?? throw new ArgumentException("the object has no apiVersion");
        var kind = ObjectRules.Text(obj["kind"]) ?? throw new ArgumentException("the object has no kind");
        return _catalog.FindByKind(apiVersion, kind) ?? throw new ArgumentException($"the fake does not serve {apiVersion} {kind} (register its CRD first)");
    }
}
