namespace Secrets.Controller.Framework;

/// <summary>
/// The overall retry limit of client-go's default controller rate limiter (10 per second, burst 100): a token bucket
/// that hands out reservations, so a storm of failing keys is spread out instead of hammering the API server at once.
/// Like <c>rate.Limiter.Reserve()</c>: a reservation is always granted; the answer is how long to wait for it.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double perSecond, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _perSecond = perSecond;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    /// <summary>client-go's <c>BucketRateLimiter{rate.NewLimiter(10, 100)}</c>.</summary>
    public static TokenBucket ClientGoDefault() => new(10, 100);

    /// <summary>Takes one token; returns how long the caller must wait before using it (zero while the burst lasts).</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }
}
