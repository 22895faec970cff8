using System.Globalization;

namespace Secrets.KeyServices;

/// <summary><c>created_at</c> as sops writes it: RFC 3339 in UTC with seconds, <c>time.Now().UTC().Format(time.RFC3339)</c> (sops.md §2.1).</summary>
internal static class KeyTimestamp
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stored value when present (kept across rotate), else now.</summary>
    public static string KeepOrNow(string? stored, TimeProvider clock) => string.IsNullOrEmpty(stored) ? Format(clock.GetUtcNow()) : stored;
}
