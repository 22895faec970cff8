namespace Secrets.TestSupport.Fakes;

/// <summary>
/// Counts the requests a fake is serving at once and the highest count seen, so that tests can assert that a client
/// overlapped its calls (a count, not a timing). Thread-safe.
/// </summary>
public sealed class InFlightGauge
{
    private readonly Lock _gate = new();
    private int _current;
    private int _max;

    /// <summary>The most requests that were being served at the same moment.</summary>
    public int Max
    {
        get
        {
            lock (_gate)
            {
                return _max;
            }
        }
    }

    /// <summary>Marks a request as being served until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        lock (_gate)
        {
            _current++;
            _max = Math.Max(_max, _current);
        }

        return new Scope(this);
    }

    private void Leave()
    {
        lock (_gate)
        {
            _current--;
        }
    }

    public readonly struct Scope(InFlightGauge gauge) : IDisposable
    {
        public void Dispose() => gauge.Leave();
    }
}
