namespace Secrets.Controller.Framework;

/// <summary>
/// One shared instance of each string that repeats on every cached object (namespaces, apiVersion and kind, label and
/// annotation keys, common label values, Secret types): the JSON reader allocates a new string for each occurrence, and at
/// 10k cached objects those copies were megabytes of issue 6's and 8's memory limit. Bounded, so values that do not
/// repeat (a label value unique per object) cannot make it grow without limit; past the bound strings are kept as they are.
/// </summary>
public static class StringPool
{
    /// <summary>Distinct strings kept at most; a cluster has far fewer namespaces, keys and common values.</summary>
    internal const int Capacity = 16_384;

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Pool = new(StringComparer.Ordinal);

    /// <summary>The pooled instance equal to <paramref name="value"/>, added to the pool while there is room.</summary>
    public static string? Shared(string? value)
    {
        if (value is null)
        {
            return null;
        }

        lock (Gate)
        {
            if (Pool.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (Pool.Count < Capacity)
            {
                Pool.Add(value);
            }

            return value;
        }
    }
}
