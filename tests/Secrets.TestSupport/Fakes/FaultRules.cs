namespace Secrets.TestSupport.Fakes;

/// <summary>
/// Fault injection shared by the fakes: fail the next N requests that match a predicate, or delay matching requests.
/// Rules are checked in the order they were added; the first matching rule with uses left applies. Thread-safe.
/// </summary>
/// <typeparam name="TRequest">How the fake describes a request to predicates (e.g. <c>KubeRequest</c>, <c>AwsRequest</c>).</typeparam>
/// <typeparam name="TFault">What the fake does instead of answering normally.</typeparam>
public class FaultRules<TRequest, TFault>
    where TFault : class
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _failures = [];
    private readonly List<Rule> _delays = [];

    /// <summary>Fails the next <paramref name="count"/> requests that match <paramref name="when"/> (all requests when null).</summary>
    public void FailNext(int count, TFault fault, Func<TRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _failures.Add(new Rule(when ?? (_ => true), count, fault, TimeSpan.Zero));
        }
    }

    /// <summary>Delays matching requests by <paramref name="delay"/> before they are served (at most <paramref name="count"/> of them).</summary>
    public void Delay(TimeSpan delay, Func<TRequest, bool>? when = null, int count = int.MaxValue)
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

    /// <summary>Consumes one use of the first matching failure and delay rules.</summary>
    public (TFault? Fault, TimeSpan Delay) Take(TRequest request)
    {
        lock (_gate)
        {
            return (Use(_failures, request)?.Fault, Use(_delays, request)?.Delay ?? TimeSpan.Zero);
        }
    }

    private static Rule? Use(List<Rule> rules, TRequest request)
    {
        var rule = rules.Find(r => r.Remaining > 0 && r.When(request));
        if (rule is not null)
        {
            rule.Remaining--;
        }

        return rule;
    }

    private sealed class Rule(Func<TRequest, bool> when, int remaining, TFault? fault, TimeSpan delay)
    {
        public Func<TRequest, bool> When { get; } = when;

        public int Remaining { get; set; } = remaining;

        public TFault? Fault { get; } = fault;

        public TimeSpan Delay { get; } = delay;
    }
}
