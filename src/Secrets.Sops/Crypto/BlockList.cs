namespace Secrets.Sops.Crypto;

/// <summary>
/// A list in fixed-size blocks: it grows without copying and without arrays on the large object heap (a block of the
/// walker's leaves is about 45 KB, below its 85 KB), and a block is exactly one parallel chunk of the walker
/// (docs/sops.md "Benchmark").
/// </summary>
internal sealed class BlockList<T>(int blockSize)
{
    private readonly List<T[]> _blocks = [];

    public int Count { get; private set; }

    public ref T this[int index] => ref _blocks[index / blockSize][index % blockSize];

    public void Add(T item)
    {
        if (Count / blockSize == _blocks.Count)
        {
            _blocks.Add(new T[blockSize]);
        }

        _blocks[Count / blockSize][Count % blockSize] = item;
        Count++;
    }

    /// <summary>Empties the list and keeps its blocks for reuse; the items stay referenced until overwritten.</summary>
    public void Clear() => Count = 0;
}
