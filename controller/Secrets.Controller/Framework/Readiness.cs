using System.Collections.Concurrent;

namespace Secrets.Controller.Framework;

/// <summary>What <c>/readyz</c> reports: every registered component must have declared itself ready.</summary>
public sealed class Readiness
{
    private readonly ConcurrentDictionary<string, bool> _components = new(StringComparer.Ordinal);

    /// <summary>Declares a component that must become ready (e.g. <c>keys</c>).</summary>
    public void Require(string component) => _components.TryAdd(component, false);

    public void Set(string component, bool ready) => _components[component] = ready;

    public bool IsReady => _components.Values.All(ready => ready);

    /// <summary>Names of components not ready yet.</summary>
    public IReadOnlyList<string> Pending => [.. _components.Where(p => !p.Value).Select(p => p.Key).Order(StringComparer.Ordinal)];
}
