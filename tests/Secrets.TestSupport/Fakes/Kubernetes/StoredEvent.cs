using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>One committed change in the event log: the object before (null on create) and after (null on delete).</summary>
internal sealed record StoredEvent(long ResourceVersion, KubeResource Resource, string Namespace, JsonObject? Old, JsonObject? New);
