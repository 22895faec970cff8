using System.IO.Compression;
using System.Text;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>A file of the C2SP age testkit: the metadata preamble (<c>key: value</c> lines) and the age file after it.</summary>
internal sealed class TestkitVector
{
    private TestkitVector(ILookup<string, string> metadata, byte[] contents)
    {
        Metadata = metadata;
        Contents = contents;
    }

    public ILookup<string, string> Metadata { get; }

    /// <summary>The age file, decompressed when the vector says <c>compressed: zlib</c>.</summary>
    public byte[] Contents { get; }

    public string Expect => Metadata["expect"].Single();

    public byte[] FileKey => Convert.FromHexString(Metadata["file key"].Single());

    /// <summary>The seeds of the vector's <c>AGE-SECRET-KEY-PQ-1…</c> identities.</summary>
    public IEnumerable<byte[]> HybridSeeds =>
        Metadata["identity"].Where(i => i.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal))
            .Select(i => TestBech32.Decode(i).Data);

    public static TestkitVector Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var metadata = new List<(string Key, string Value)>();
        var position = 0;
        while (true)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', position);
            var line = Encoding.UTF8.GetString(bytes, position, end - position);
            position = end + 1;
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            metadata.Add((line[..colon], line[(colon + 2)..]));
        }

        var contents = bytes[position..];
        if (metadata.Any(m => m is ("compressed", "zlib")))
        {
            using var inflater = new ZLibStream(new MemoryStream(contents), CompressionMode.Decompress);
            using var output = new MemoryStream();
            inflater.CopyTo(output);
            contents = output.ToArray();
        }

        return new TestkitVector(metadata.ToLookup(m => m.Key, m => m.Value), contents);
    }
}
