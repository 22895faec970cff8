using Secrets.Sops.Engine;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>One file format (sops.md §6): plaintext and encrypted files to and from the tree model.</summary>
public interface ISopsStore
{
    /// <summary><c>yaml</c>, <c>json</c>, <c>dotenv</c>, <c>ini</c> or <c>binary</c>.</summary>
    string Name { get; }

    List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes);

    /// <summary>Loads an encrypted file; a file without sops metadata is malformed ("sops metadata not found").</summary>
    SopsFile LoadEncrypted(ReadOnlySpan<byte> bytes);

    /// <summary>As <see cref="LoadEncrypted(ReadOnlySpan{byte})"/>; a store may keep values as slices of <paramref name="bytes"/>.</summary>
    SopsFile LoadEncrypted(byte[] bytes) => LoadEncrypted(bytes.AsSpan());

    byte[] EmitPlain(IReadOnlyList<TreeBranch> documents);

    byte[] EmitEncrypted(SopsFile file);

    /// <summary>
    /// <see cref="EmitPlain(IReadOnlyList{TreeBranch})"/> written to <paramref name="output"/>; a store that can lay out
    /// a file piece by piece does so, so a big file is never held in memory whole.
    /// </summary>
    void EmitPlain(IReadOnlyList<TreeBranch> documents, Stream output) => output.Write(EmitPlain(documents));

    /// <summary><see cref="EmitEncrypted(SopsFile)"/> written to <paramref name="output"/>, piece by piece where the store can.</summary>
    void EmitEncrypted(SopsFile file, Stream output) => output.Write(EmitEncrypted(file));

    /// <summary>A single extracted value (<c>--extract</c> of a non-string) in this format.</summary>
    byte[] EmitValue(object? value);

    /// <summary>True when plaintext input already carries sops metadata (encrypting it again fails with 203).</summary>
    bool HasMetadata(IReadOnlyList<TreeBranch> documents);
}
