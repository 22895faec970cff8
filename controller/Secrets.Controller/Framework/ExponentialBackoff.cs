namespace Secrets.Controller.Framework;

/// <summary>Delay for the n-th consecutive failure: <c>initial · 2^(n−1)</c>, capped (client-go's per-item rate limiter shape).</summary>
public sealed record ExponentialBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>Reconcile retries: 1 s doubling to 5 min (issue 6).</summary>
    public static ExponentialBackoff Reconcile { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>Watch reconnects: 500 ms doubling to 30 s.</summary>
    public static ExponentialBackoff Reconnect { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    public TimeSpan Delay(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(failures - 1, 30);
        var ticks = Initial.Ticks * Math.Pow(2, exponent);
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }
}
