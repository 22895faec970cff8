using Secrets.Sops.Crypto;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Engine;

/// <summary>
/// Plaintext documents together with the metadata and the data key they came from, so <c>edit</c>/<c>set</c>/<c>unset</c>
/// can encrypt again with the same key and IV stash: unchanged values keep their ciphertext (sops.md §1.3).
/// </summary>
public sealed class DecryptedFile : IDisposable
{
    internal DecryptedFile(List<TreeBranch> documents, SopsMetadata metadata, ValueCipher cipher)
    {
        Documents = documents;
        Metadata = metadata;
        Cipher = cipher;
    }

    public List<TreeBranch> Documents { get; }

    public SopsMetadata Metadata { get; }

    internal ValueCipher Cipher { get; }

    /// <summary>Encrypts <paramref name="documents"/> (by default the current ones) again under the same data key.</summary>
    public SopsFile Reencrypt(TimeProvider time, IEnumerable<TreeBranch>? documents = null)
    {
        var copy = TreeCopy.Documents(documents ?? Documents);
        SopsEngine.Seal(copy, Metadata, Cipher, time);
        return new SopsFile(copy, Metadata);
    }

    public void Dispose() => Cipher.Dispose();
}
