using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Secrets.Sops.Rules;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Crypto;

/// <summary>
/// Walks every document depth first in file order, encrypting or decrypting the selected leaves in place and hashing
/// plaintext values for the MAC exactly as sops' Tree.Encrypt/Tree.Decrypt do (sops.md §3).
/// The walk runs in three passes so big files use every core: (1) in file order, decide per leaf whether it is encrypted
/// and its AAD (comments are handled here, since comment rules depend on their plaintext); (2) the AES-GCM work on the
/// collected leaves, in parallel chunks when there are many (values are independent); (3) in file order again, store the
/// results, feed the MAC and the IV stash, and raise the first error of the file. Passes 2 and 3 run every
/// <see cref="EncryptBatchSize"/> or <see cref="DecryptBatchSize"/> leaves, so the per-leaf state (paths, plaintext
/// copies, the replaced values) of a big file is freed as the walk goes instead of being held for all leaves at once.
/// </summary>
public sealed class TreeWalker
{
    /// <summary>SHA-256("sops"), prepended to the MAC input when only encrypted values count (sops.md §3).</summary>
    private static readonly byte[] MacOnlyEncryptedPrefix = SHA256.HashData("sops"u8);

    /// <summary>
    /// Below this many leaves in a batch a second thread costs more than it saves (2,048 before decrypting went to
    /// batches of 1,024; a file of fewer values, such as the small-file benchmark's, is not affected).
    /// </summary>
    internal const int ParallelThreshold = 1024;
    internal const int ChunkSize = 512;
    internal const int EncryptBatchSize = 16 * ChunkSize;

    /// <summary>
    /// Decrypting, a batch's leaves hold more (parsed ENC values, plaintext copies): smaller batches lowered the peak RSS
    /// of a 100k-value decrypt by 3–4 MB at the same CPU time, while encrypting peaked higher with them (docs/sops.md
    /// "Benchmark"). Not below <see cref="ParallelThreshold"/>, so every full batch runs in parallel.
    /// </summary>
    internal const int DecryptBatchSize = 2 * ChunkSize;

    private readonly ValueCipher _cipher;
    private readonly LeafSelector _selector;
    private readonly bool _macOnlyEncrypted;
    private readonly bool _encrypting;
    private readonly PendingEncryption? _pending;
    // The leaves of a batch (about 45 KB a block, reused from batch to batch; every leaf is reset by pass 3).
    private readonly BlockList<Leaf> _leaves = new(ChunkSize);
    private IncrementalHash? _hash;

    private TreeWalker(ValueCipher cipher, EncryptionRules rules, bool encrypting, PendingEncryption? pending = null)
    {
        _cipher = cipher;
        _pending = pending;
        _selector = rules.Selector();
        _macOnlyEncrypted = rules.MacOnlyEncrypted;
        _encrypting = encrypting;
    }

    /// <summary>Called for a comment that could not be decrypted and is kept in clear (sops warns and goes on).</summary>
    public Action<string>? OnClearComment { get; init; }

    /// <summary>Encrypts the documents in place; returns the MAC (uppercase hex SHA-512) of their plaintext.</summary>
    public static string Encrypt(IEnumerable<TreeBranch> documents, ValueCipher cipher, EncryptionRules rules) =>
        new TreeWalker(cipher, rules, encrypting: true).Walk(documents);

    /// <summary>
    /// Encrypts the documents in place but for the values themselves: each value to encrypt becomes a
    /// <see cref="PendingEnc"/> of <paramref name="pending"/>, encrypted when it is written (comments are encrypted
    /// now); returns the MAC of the plaintext.
    /// </summary>
    internal static string EncryptOnWrite(IEnumerable<TreeBranch> documents, ValueCipher cipher, PendingEncryption pending, EncryptionRules rules) =>
        new TreeWalker(cipher, rules, encrypting: true, pending).Walk(documents);

    /// <summary>Decrypts the documents in place; returns the MAC computed over the recovered plaintext.</summary>
    public static string Decrypt(IEnumerable<TreeBranch> documents, ValueCipher cipher, EncryptionRules rules, Action<string>? onClearComment = null) =>
        new TreeWalker(cipher, rules, encrypting: false) { OnClearComment = onClearComment }.Walk(documents);

    /// <summary>The MAC of plaintext documents without changing them (for <c>updatekeys</c>-style checks and tests).</summary>
    public static string ComputeMac(IEnumerable<TreeBranch> plainDocuments, EncryptionRules rules)
    {
        using var cipher = new ValueCipher(new byte[32]);
        return Encrypt(TreeCopy.Documents(plainDocuments), cipher, rules);
    }

    public static string Aad(IReadOnlyList<string> path) => string.Join(':', path) + ":";

    private string Walk(IEnumerable<TreeBranch> documents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        _hash = hash;
        if (_macOnlyEncrypted)
        {
            hash.AppendData(MacOnlyEncryptedPrefix);
        }

        var path = new PathStack();
        var comments = new List<List<string>>();
        foreach (var document in documents)
        {
            WalkBranch(document, path, comments);
        }

        CompleteBatch();
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Passes 2 and 3 for the leaves collected so far.</summary>
    private void CompleteBatch()
    {
        Transform(_leaves.Count);
        for (var i = 0; i < _leaves.Count; i++)
        {
            Complete(ref _leaves[i], _hash!);
        }

        _leaves.Clear();
    }

    private void WalkBranch(TreeBranch branch, PathStack path, List<List<string>> comments)
    {
        comments.Add([]);
        foreach (var item in branch)
        {
            if (item.Key is Comment comment)
            {
                var (result, plain) = KeyComment(comment, path, comments);
                item.Key = result;
                comments[^1].Add(plain);
                continue;
            }

            path.Push((string)item.Key);
            WalkValue(item.Value, new Slot(item, -1), path, comments);
            path.Pop();
            comments[^1].Clear();
        }

        comments.RemoveAt(comments.Count - 1);
    }

    private void WalkValue(object? value, Slot slot, PathStack path, List<List<string>> comments)
    {
        switch (value)
        {
            case null:
                return;
            case TreeBranch branch:
                WalkBranch(branch, path, comments);
                return;
            case TreeSequence sequence:
                for (var i = 0; i < sequence.Count; i++)
                {
                    WalkValue(sequence[i], new Slot(sequence, i), path, comments);
                }

                return;
            case Comment comment:
                // In a sequence an encrypted comment is a plain list element (sops walkSlice); never hashed.
                if (_encrypting)
                {
                    var (stored, _) = KeyComment(comment, path, comments);
                    slot.Set(ReferenceEquals(stored, comment) ? comment : stored.Text);
                }

                return;
            default:
                _leaves.Add(new Leaf(slot, path.Aad, path.ParentAad, value, _selector.ShouldEncrypt(path.Names, ActiveComments(comments))));
                if (_leaves.Count == (_encrypting ? EncryptBatchSize : DecryptBatchSize))
                {
                    CompleteBatch();
                }

                return;
        }
    }

    private IEnumerable<string> ActiveComments(List<List<string>> comments) =>
        _selector.UsesComments ? comments.SelectMany(level => level) : [];

    /// <summary>Pass 2: the AES-GCM work, in parallel chunks of leaves when there are many.</summary>
    private void Transform(int count) =>
        ForEachChunk(count, chunk => TransformRange(chunk * ChunkSize, Math.Min(count, (chunk + 1) * ChunkSize)));

    /// <summary>
    /// Runs <paramref name="chunk"/> for each <see cref="ChunkSize"/> slice of <paramref name="count"/> values: in parallel
    /// from <see cref="ParallelThreshold"/> values on a machine with more than one core, in order otherwise.
    /// </summary>
    internal static void ForEachChunk(int count, Action<int> chunk)
    {
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        if (count < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            for (var i = 0; i < chunks; i++)
            {
                chunk(i);
            }

            return;
        }

        Parallel.For(0, chunks, chunk);
    }

    private void TransformRange(int from, int to)
    {
        var session = _cipher.RentSession();
        try
        {
            for (var i = from; i < to; i++)
            {
                ref var leaf = ref _leaves[i];
                try
                {
                    TransformLeaf(ref leaf, session);
                }
                catch (Exception ex)
                {
                    // Raised in file order by pass 3, so a broken file reports the same error however it was split.
                    leaf.Error = ExceptionDispatchInfo.Capture(ex);
                }
            }
        }
        finally
        {
            _cipher.ReturnSession(session);
        }
    }

    private void TransformLeaf(ref Leaf leaf, GcmSession session)
    {
        if (_encrypting)
        {
            leaf.Plain = PlainValue.ToBytes(leaf.Input);
            leaf.Result = leaf.Encrypt && _pending is null ? _cipher.Encrypt(leaf.Input, leaf.Plain, leaf.Aad, iv: null, session) : leaf.Input;
            leaf.PlainValue = leaf.Input;
            return;
        }

        // A value kept as UTF-8 by the loader is a string from here on (a short-lived copy when it is decrypted).
        var input = leaf.Input is EncText encText ? encText.ToString() : leaf.Input;
        if (!leaf.Encrypt)
        {
            leaf.Result = leaf.PlainValue = input;
            leaf.Plain = PlainValue.ToBytes(input);
            return;
        }

        if (input is string text && (text.Length == 0 || EncValue.LooksEncrypted(text)))
        {
            var (value, plain, enc) = _cipher.Decrypt(text, leaf.Aad, session);
            leaf.Result = leaf.PlainValue = value;

            // The MAC hashes what sops' ToBytes gives for the typed value; for a string that is its raw bytes.
            leaf.Plain = value is string ? plain : PlainValue.ToBytes(value);
            if (_cipher.StashIvs)
            {
                leaf.Enc = enc;
                leaf.DecryptedPlain = plain;
            }
            else if (!ReferenceEquals(leaf.Plain, plain) && !ReferenceEquals(plain, value))
            {
                // Nothing is stashed for a plain decrypt: the parsed ENC value and a second plaintext copy are dropped
                // now rather than held by 100k leaves until pass 3.
                CryptographicOperations.ZeroMemory(plain);
            }

            return;
        }

        if (input is string other)
        {
            throw new Core.InvalidFileException($"value at \"{leaf.Aad}\" should be encrypted but is not an ENC[…] value")
            {
                Hints = [$"\"{Shorten(other)}\" was probably edited by hand; re-encrypt the file with 'secrets encrypt'"],
            };
        }

        leaf.Result = leaf.PlainValue = input;
        leaf.Plain = PlainValue.ToBytes(input);
    }

    /// <summary>Pass 3 for one leaf, in file order.</summary>
    private void Complete(ref Leaf leaf, IncrementalHash hash)
    {
        leaf.Error?.Throw();
        leaf.Slot.Set(_pending is not null && leaf.Encrypt && !ValueCipher.StaysEmpty(leaf.Input, leaf.Plain!)
            ? _pending.Add(leaf.Input, leaf.Slot.Owner is TreeItem ? leaf.ParentAad : leaf.Aad, (leaf.Slot.Owner as TreeItem)?.Key as string)
            : leaf.Result);
        if (leaf.PlainValue is not Comment && (!_macOnlyEncrypted || leaf.Encrypt))
        {
            hash.AppendData(leaf.Plain!);
        }

        if (leaf.Enc is { } enc && leaf.DecryptedPlain is { Length: > 0 } decrypted)
        {
            _cipher.Stash(leaf.Aad, enc, ReferenceEquals(decrypted, leaf.PlainValue) ? decrypted.ToArray() : decrypted);
            if (!ReferenceEquals(leaf.Plain, decrypted))
            {
                Zero(leaf.Plain, leaf.PlainValue);
            }
        }
        else
        {
            Zero(leaf.Plain, leaf.PlainValue);
        }

        leaf = default;
    }

    /// <summary>Plaintext copies are wiped once hashed; a byte[] value is the tree's own data and stays.</summary>
    private static void Zero(byte[]? plain, object? value)
    {
        if (plain is not null && !ReferenceEquals(plain, value))
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>A comment in key position: encrypted unless the rules leave it readable; returns (stored, plain text).</summary>
    private (Comment Stored, string Plain) KeyComment(Comment comment, PathStack path, List<List<string>> comments)
    {
        var aad = path.Aad;
        if (_encrypting)
        {
            var encrypt = !_selector.IsMarkerComment(comment.Text) && _selector.ShouldEncrypt(path.Names, ActiveComments(comments));
            return (encrypt ? new Comment(_cipher.Encrypt(comment, aad)) : comment, comment.Text);
        }

        if (EncValue.LooksEncrypted(comment.Text))
        {
            try
            {
                var plain = (Comment)_cipher.Decrypt(comment.Text, aad);
                return (plain, plain.Text);
            }
            catch (Core.SecretsException)
            {
                OnClearComment?.Invoke(aad);
            }
            catch (InvalidCastException)
            {
                OnClearComment?.Invoke(aad);
            }
        }

        return (comment, comment.Text);
    }

    private static string Shorten(string text) => text.Length <= 12 ? "…" : text[..6] + "…";

    /// <summary>Where a leaf's result goes: a mapping item's value or a sequence element.</summary>
    private readonly record struct Slot(object Owner, int Index)
    {
        public void Set(object? value)
        {
            if (Owner is TreeItem item)
            {
                item.Value = value;
            }
            else
            {
                ((TreeSequence)Owner)[Index] = value;
            }
        }
    }

    /// <summary>One leaf through the three passes.</summary>
    private struct Leaf(Slot slot, string aad, string parentAad, object input, bool encrypt)
    {
        public readonly Slot Slot = slot;
        public readonly string Aad = aad;

        /// <summary>The AAD of the enclosing mapping's path; with a mapping item's key it makes <see cref="Aad"/>.</summary>
        public readonly string ParentAad = parentAad;
        public readonly object Input = input;
        public readonly bool Encrypt = encrypt;
        public object? Result;
        public object? PlainValue;
        public byte[]? Plain;
        public byte[]? DecryptedPlain;
        public EncValue? Enc;
        public ExceptionDispatchInfo? Error;
    }

    /// <summary>The key path with its AAD (keys joined by ':' plus a trailing ':'), built once per level.</summary>
    private sealed class PathStack
    {
        private readonly List<string> _names = [];
        private readonly List<string> _aads = [":"];

        public IReadOnlyList<string> Names => _names;

        public string Aad => _aads[^1];

        /// <summary>The AAD one level up ("" at the top, where <see cref="Aad"/> is the key and a colon).</summary>
        public string ParentAad => _names.Count <= 1 ? "" : _aads[^2];

        public void Push(string name)
        {
            _aads.Add(_names.Count == 0 ? name + ":" : string.Concat(_aads[^1], name, ":"));
            _names.Add(name);
        }

        public void Pop()
        {
            _names.RemoveAt(_names.Count - 1);
            _aads.RemoveAt(_aads.Count - 1);
        }
    }
}
