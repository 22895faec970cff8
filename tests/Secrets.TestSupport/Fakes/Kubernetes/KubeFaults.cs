namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// Fault injection for a <see cref="FakeKubeApiServer"/>: fail the next N matching requests, or delay matching requests.
/// Rules are checked in the order they were added; the first one that matches and has uses left applies.
/// </summary>
public sealed class KubeFaults
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _failures = [];
    private readonly List<Rule> _delays = [];

    /// <summary>Fails the next <paramref name="count"/> requests that match <paramref name="when"/> (all requests when null).</summary>
    public void FailNext(int count, KubeFault fault, Func<KubeRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _failures.Add(new Rule(when ?? (_ => true), count, fault, TimeSpan.Zero));
        }
    }

    /// <summary>Delays matching requests by <paramref name="delay"/> before they are served (at most <paramref name="count"/> of them).</summary>
    public void Delay(TimeSpan delay, Func<KubeRequest, bool>? when = null, int count = int.MaxValue)
    {
        lock (_gate)
        {
            _delays.Add(new Rule(when ?? (_ => true), count, null, delay));
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _failures.Clear();
            _delays.Clear();
        }
    }

    internal (KubeFault? Fault, TimeSpan Delay) Take(KubeRequest request)
    {
        lock (_gate)
        {
            return (Use(_failures, request)?.Fault, Use(_delays, request)?.Delay ?? TimeSpan.Zero);
        }
    }

    private static Rule? Use(List<Rule> rules, KubeRequest request)
    {
        var rule = rules.Find(r => r.Remaining > 0 && r.When(request));
        if (rule is not null)
        {
            rule.Remaining--;
        }

        return rule;
    }

    private sealed class Rule(Func<KubeRequest, bool> when, int remaining, KubeFault? fault, TimeSpan delay)
    {
        public Func<KubeRequest, bool> When { get; } = when;

        public int Remaining { get; set; } = remaining;

        public KubeFault? Fault { get; } = fault;

        public TimeSpan Delay { get; } = delay;
    }
}
