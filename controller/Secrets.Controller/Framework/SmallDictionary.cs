using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Secrets.Controller.Framework;

/// <summary>
/// A read-only string map stored as one array of alternating keys and values, for the labels and annotations of cached
/// objects: a <see cref="Dictionary{TKey,TValue}"/> with one entry takes ~216 bytes (object, buckets, three entries), this
/// ~64, and the SealedSecret and produced-Secret caches hold three such maps per SealedSecret (issue 6: 10k of them).
/// Lookups are linear, so <see cref="Of"/> keeps larger maps as dictionaries. Cached objects are never modified: a write
/// builds a new object, so every mutator throws.
/// </summary>
public sealed class SmallDictionary : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    /// <summary>Maps with more entries stay dictionaries (linear lookups over a few keys beat hashing them).</summary>
    internal const int MaxEntries = 8;

    private readonly string[] _pairs;

    private SmallDictionary(string[] pairs) => _pairs = pairs;

    /// <summary>A read-only copy of <paramref name="map"/> with keys and values passed through <paramref name="key"/> and <paramref name="value"/> (pooling).</summary>
    public static IDictionary<string, string>? Of(IDictionary<string, string>? map, Func<string, string> key, Func<string, string> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (map is null)
        {
            return null;
        }

        if (map.Count > MaxEntries)
        {
            var copy = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
            foreach (var (k, v) in map)
            {
                copy[key(k)] = value(v);
            }

            return copy;
        }

        var pairs = new string[2 * map.Count];
        var i = 0;
        foreach (var (k, v) in map)
        {
            pairs[i++] = key(k);
            pairs[i++] = value(v);
        }

        return new SmallDictionary(pairs);
    }

    public int Count => _pairs.Length / 2;

    public bool IsReadOnly => true;

    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key \"{key}\"");
        set => throw ReadOnly();
    }

    public ICollection<string> Keys => [.. Pairs().Select(p => p.Key)];

    public ICollection<string> Values => [.. Pairs().Select(p => p.Value)];

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _pairs[index + 1] : null;
        return index >= 0;
    }

    public bool Contains(KeyValuePair<string, string> item) => TryGetValue(item.Key, out var value) && value == item.Value;

    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var pair in Pairs())
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Pairs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, string value) => throw ReadOnly();

    public void Add(KeyValuePair<string, string> item) => throw ReadOnly();

    public bool Remove(string key) => throw ReadOnly();

    public bool Remove(KeyValuePair<string, string> item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _pairs.Length; i += 2)
        {
            if (string.Equals(_pairs[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        for (var i = 0; i < _pairs.Length; i += 2)
        {
            yield return new KeyValuePair<string, string>(_pairs[i], _pairs[i + 1]);
        }
    }

    private static NotSupportedException ReadOnly() =>
        new("the labels and annotations of a cached object are read-only: copy them into a new dictionary to change them");
}
