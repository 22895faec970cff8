using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>YAML and JSON: the metadata is the last top-level key <c>sops</c> of each document (sops.md §6.1, §6.2).</summary>
public abstract class MappingStore : ISopsStore
{
    public abstract string Name { get; }

    public abstract List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes);

    public abstract byte[] EmitPlain(IReadOnlyList<TreeBranch> documents);

    public abstract byte[] EmitValue(object? value);

    public SopsFile LoadEncrypted(ReadOnlySpan<byte> bytes) => Encrypted(LoadForDecryption(bytes, source: null));

    /// <summary>As <see cref="LoadEncrypted(ReadOnlySpan{byte})"/>; the values may stay slices of <paramref name="bytes"/> until decrypted.</summary>
    public SopsFile LoadEncrypted(byte[] bytes) => Encrypted(LoadForDecryption(bytes, bytes));

    private static SopsFile Encrypted(List<TreeBranch> documents)
    {
        var metadata = documents.Count > 0 ? documents[0]["sops"] as TreeBranch : null;
        if (metadata is null)
        {
            throw NotEncrypted();
        }

        // Metadata is read from the first document only; a sops key in later ones is dropped (sops.md §6.1).
        foreach (var document in documents)
        {
            document.RemoveKey(MetadataCodec.Key);
        }

        EncTextsToStrings(metadata);
        return new SopsFile(documents, MetadataCodec.FromBranch(metadata));
    }

    /// <summary>
    /// The documents of an encrypted file; a store may keep values in a form only the tree walker reads, such as slices
    /// of <paramref name="source"/> (the array <paramref name="bytes"/> spans, when known).
    /// </summary>
    protected virtual List<TreeBranch> LoadForDecryption(ReadOnlySpan<byte> bytes, byte[]? source) => LoadPlain(bytes);

    /// <summary>Writes <paramref name="documents"/> to <paramref name="output"/>; by default through <see cref="EmitPlain(IReadOnlyList{TreeBranch})"/>.</summary>
    public virtual void EmitPlain(IReadOnlyList<TreeBranch> documents, Stream output) => output.Write(EmitPlain(documents));

    public byte[] EmitEncrypted(SopsFile file) => EmitPlain(DocumentsWithMetadata(file));

    public void EmitEncrypted(SopsFile file, Stream output) => EmitPlain(DocumentsWithMetadata(file), output);

    private static List<TreeBranch> DocumentsWithMetadata(SopsFile file)
    {
        var metadata = MetadataCodec.ToBranch(file.Metadata);
        var documents = file.Documents.Select(d => WithMetadata(d, metadata)).ToList();
        if (documents.Count == 0)
        {
            documents.Add([new TreeItem(MetadataCodec.Key, metadata)]);
        }

        return documents;
    }

    /// <summary>
    /// sops appends the metadata key after the data but keeps trailing comments as the mapping's foot comment, which
    /// go-yaml writes last (sops.md §6.1): so the metadata goes before a trailing run of comments.
    /// </summary>
    private static TreeBranch WithMetadata(TreeBranch document, TreeBranch metadata)
    {
        var copy = new TreeBranch(document);
        var at = copy.Count;
        while (at > 0 && copy[at - 1].Key is Tree.Comment)
        {
            at--;
        }

        copy.Insert(at, new TreeItem(MetadataCodec.Key, metadata));
        return copy;
    }

    /// <summary>The metadata is read as plain values: its ENC[…] MAC back to a string.</summary>
    private static void EncTextsToStrings(TreeBranch branch)
    {
        foreach (var item in branch)
        {
            item.Value = Readable(item.Value);
        }
    }

    private static object? Readable(object? value)
    {
        switch (value)
        {
            case EncText enc:
                return enc.ToString();
            case TreeBranch branch:
                EncTextsToStrings(branch);
                break;
            case TreeSequence sequence:
                for (var i = 0; i < sequence.Count; i++)
                {
                    sequence[i] = Readable(sequence[i]);
                }

                break;
        }

        return value;
    }

    public bool HasMetadata(IReadOnlyList<TreeBranch> documents) => documents.Any(d => d.Find(MetadataCodec.Key) is not null);

    internal static InvalidFileException NotEncrypted() => new("sops metadata not found")
    {
        Hints = ["the file is not encrypted; encrypt it with 'secrets encrypt'"],
    };
}
