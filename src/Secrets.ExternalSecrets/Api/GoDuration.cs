using System.Globalization;
using Secrets.Core;

namespace Secrets.ExternalSecrets.Api;

/// <summary>
/// Go <c>time.ParseDuration</c> / <c>Duration.String</c> for <c>refreshInterval</c> (metav1.Duration, eso-flux.md §1.2):
/// "1h0m0s", "90s", "1.5h", "300ms", "0".
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value) ? value : throw new InvalidFileException($"invalid duration \"{text}\" (expected a Go duration such as 1h0m0s, 30m or 90s)");
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        double ticks = 0;
        while (!s.IsEmpty)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }

            if (numberEnd == 0 || !double.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            s = s[numberEnd..];
            var unitEnd = 0;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
            {
                unitEnd++;
            }

            var unit = s[..unitEnd].ToString();
            var match = Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null)
            {
                return false;
            }

            ticks += number * match.Ticks;
            s = s[unitEnd..];
        }

        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>Go's <c>Duration.String()</c> for whole seconds and up, e.g. 1h0m0s, 5m0s, 30s, 0s.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        var hours = (long)value.TotalHours;
        var seconds = value.TotalSeconds - (hours * 3600) - (value.Minutes * 60);
        var secondsText = seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        return hours > 0 ? $"{sign}{hours}h{value.Minutes}m{secondsText}"
            : value.Minutes > 0 ? $"{sign}{value.Minutes}m{secondsText}"
            : sign + secondsText;
    }
}
