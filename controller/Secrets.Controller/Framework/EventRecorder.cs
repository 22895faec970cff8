using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// Writes core/v1 Events about objects. A repeat of the same (object, type, reason, message) bumps the count of the
/// existing Event instead of creating a new one, as client-go's correlator does. Failures are logged, never thrown:
/// an Event is a courtesy, not part of the reconcile outcome.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, string component, ILogger<EventRecorder> logger, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, (string Name, int Count)> _recent = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> involved, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(involved, "Normal", reason, message, cancellationToken);

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> involved, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(involved, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var ns = involved.Metadata.NamespaceProperty ?? "default";
        var now = _time.GetUtcNow().UtcDateTime;
        var correlation = string.Join('\n', involved.Metadata.Uid, type, reason, message);
        try
        {
            if (_recent.TryGetValue(correlation, out var previous))
            {
                var count = previous.Count + 1;
                var patch = new V1Patch(
                    string.Create(CultureInfo.InvariantCulture, $$"""{"count":{{count}},"lastTimestamp":"{{now:yyyy-MM-ddTHH:mm:ssZ}}"}"""),
                    V1Patch.PatchType.MergePatch);
                try
                {
                    await client.CoreV1.PatchNamespacedEventAsync(patch, previous.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                    _recent[correlation] = (previous.Name, count);
                    return;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    _recent.TryRemove(correlation, out _);
                }
            }

            var created = await client.CoreV1.CreateNamespacedEventAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta { GenerateName = involved.Metadata.Name + ".", NamespaceProperty = ns },
                    InvolvedObject = new V1ObjectReference
                    {
                        ApiVersion = involved.ApiVersion,
                        Kind = involved.Kind,
                        Name = involved.Metadata.Name,
                        NamespaceProperty = involved.Metadata.NamespaceProperty,
                        Uid = involved.Metadata.Uid,
                        ResourceVersion = involved.Metadata.ResourceVersion,
                    },
                    Type = type,
                    Reason = reason,
                    Message = message,
                    Source = new V1EventSource { Component = component },
                    ReportingComponent = component,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Count = 1,
                },
                ns,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_recent.Count > 4096)
            {
                _recent.Clear();
            }

            _recent[correlation] = (created.Metadata.Name, 1);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            LogEventFailed(logger, reason, involved.Metadata.Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record event {Reason} for {Name}: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string name, string error);
}
