namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// Fault injection for a <see cref="FakeKubeApiServer"/>: <c>FailNext(count, KubeFault.InternalError, r =&gt; r.Verb == "get")</c>,
/// <c>Delay(…)</c>, <c>Clear()</c>. Applies to watches too (verb <c>watch</c>).
/// </summary>
public sealed class KubeFaults : FaultRules<KubeRequest, KubeFault>;
