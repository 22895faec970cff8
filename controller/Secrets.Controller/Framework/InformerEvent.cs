using k8s;

namespace Secrets.Controller.Framework;

/// <summary>A change the informer saw: the object before (null when added) and after (the last state when deleted).</summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed record InformerEvent<T>(WatchEventType Type, T? Old, T Current);
