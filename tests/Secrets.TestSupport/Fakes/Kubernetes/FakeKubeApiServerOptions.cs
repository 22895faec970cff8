namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>How a <see cref="FakeKubeApiServer"/> listens and behaves.</summary>
public sealed record FakeKubeApiServerOptions
{
    /// <summary>https with an in-memory CA (HTTP/2 by ALPN, like a real API server) instead of plain HTTP/1.1.</summary>
    public bool UseHttps { get; init; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer</c> with this token (else 401).</summary>
    public string? BearerToken { get; init; }

    /// <summary>How many changes the event log keeps; a watch from an older resourceVersion gets 410 Expired.</summary>
    public int EventLogCapacity { get; init; } = 1000;

    /// <summary>How often an idle watch that allowed bookmarks gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of a watch without (or with a larger) <c>timeoutSeconds</c>.</summary>
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When true, creating an object in a namespace that has no Namespace object is a 404 (NamespaceLifecycle).</summary>
    public bool RequireNamespaces { get; init; }

    /// <summary>Clock for creation and deletion timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
