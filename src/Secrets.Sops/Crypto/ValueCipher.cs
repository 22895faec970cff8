using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Crypto;

/// <summary>
/// The data key of one file and sops' IV stash (sops.md §1.3): a value decrypted here and encrypted again unchanged at
/// the same path gets the same IV, hence the same ciphertext and a minimal diff. The AES-GCM work is done by
/// <see cref="GcmSession"/>s, one per thread (<see cref="RentSession"/>), so big files can be worked on in parallel.
/// </summary>
public sealed class ValueCipher : IDisposable
{
    private readonly byte[] _key;
    private readonly ConcurrentBag<GcmSession> _sessions = [];
    private readonly ConcurrentDictionary<StashKey, byte[]> _stash = new();

    public ValueCipher(ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length != 32)
        {
            throw new InvalidFileException($"the data key has {dataKey.Length} bytes instead of 32");
        }

        _key = dataKey.ToArray();
    }

    /// <summary>Encrypts a scalar (or comment); an empty string or comment stays empty (sops isEmpty).</summary>
    public string Encrypt(object value, string aad)
    {
        var plain = PlainValue.ToBytes(value);
        try
        {
            return Encrypt(value, plain, aad, iv: null, session: null);
        }
        finally
        {
            if (!ReferenceEquals(plain, value))
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
    }

    /// <summary>Decrypts an ENC value; "" stays "". Tampering or a wrong key/path is an integrity failure.</summary>
    public object Decrypt(string text, string aad)
    {
        var (value, plain, enc) = Decrypt(text, aad, session: null);
        if (enc is not null)
        {
            Stash(aad, enc, ReferenceEquals(value, plain) ? plain.ToArray() : plain);
        }

        return value;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        foreach (var key in _stash.Keys)
        {
            CryptographicOperations.ZeroMemory(key.Plain);
        }

        _stash.Clear();
    }

    /// <summary>
    /// Encrypts <paramref name="plain"/> (the bytes of <paramref name="value"/>) with the stashed IV for this path and
    /// plaintext, else <paramref name="iv"/>, else a fresh random one.
    /// </summary>
    internal string Encrypt(object value, byte[] plain, string aad, byte[]? iv, GcmSession? session)
    {
        if (StaysEmpty(value, plain))
        {
            return "";
        }

        var worker = session ?? RentSession();
        try
        {
            var type = PlainValue.TypeName(value);
            return worker.Encrypt(plain, StashedIv(aad, type, plain) ?? iv ?? worker.NewIv(), aad, type);
        }
        finally
        {
            if (session is null)
            {
                ReturnSession(worker);
            }
        }
    }

    /// <summary>
    /// As <see cref="Encrypt(object, byte[], string, byte[], GcmSession)"/> with a fresh (or stashed) IV, the ENC[…]
    /// text written as UTF-8 to <paramref name="output"/>; nothing is written for a value that stays empty.
    /// </summary>
    internal void Encrypt(object value, byte[] plain, string aad, GcmSession session, ArrayBufferWriter<byte> output)
    {
        if (StaysEmpty(value, plain))
        {
            return;
        }

        var type = PlainValue.TypeName(value);
        var iv = StashedIv(aad, type, plain) ?? session.NewIv();
        var destination = output.GetSpan(EncValue.FormattedLength(plain.Length, iv.Length, GcmSession.TagSize, type));
        output.Advance(session.Encrypt(plain, iv, aad, type, destination));
    }

    /// <summary>An empty string or comment stays empty (sops isEmpty): it gets no ENC[…] text.</summary>
    internal static bool StaysEmpty(object value, byte[] plain) => plain.Length == 0 && value is string or Comment;

    private byte[]? StashedIv(string aad, string type, byte[] plain) =>
        !_stash.IsEmpty && _stash.TryGetValue(new StashKey(aad, type, plain), out var stashed) ? stashed : null;

    /// <summary>The value and the plaintext bytes it was decrypted from (empty for "").</summary>
    internal (object Value, byte[] Plain, EncValue? Enc) Decrypt(string text, string aad, GcmSession? session)
    {
        if (text.Length == 0)
        {
            return ("", [], null);
        }

        var enc = EncValue.Parse(text, aad);
        var worker = session ?? RentSession();
        try
        {
            var plain = worker.Decrypt(enc, aad);
            return (PlainValue.FromBytes(enc.Type, plain, aad), plain, enc);
        }
        finally
        {
            if (session is null)
            {
                ReturnSession(worker);
            }
        }
    }

    /// <summary>
    /// Remembers the IV a value had, for encrypting it again unchanged (sops.md §1.3). The stash owns
    /// <paramref name="plain"/> from here on and zeroes it on <see cref="Dispose"/>.
    /// </summary>
    internal void Stash(string aad, EncValue enc, byte[] plain)
    {
        if (StashIvs)
        {
            _stash[new StashKey(aad, enc.Type, plain)] = enc.Iv;
        }
        else
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>False when the plaintext will not be encrypted again (plain decrypt): no stash is kept.</summary>
    internal bool StashIvs { get; set; } = true;

    internal GcmSession RentSession() => _sessions.TryTake(out var session) ? session : new GcmSession(_key);

    internal void ReturnSession(GcmSession session) => _sessions.Add(session);

    /// <summary>Path, type and plaintext bytes (compared by content).</summary>
    private readonly record struct StashKey(string Aad, string Type, byte[] Plain)
    {
        public bool Equals(StashKey other) =>
            string.Equals(Aad, other.Aad, StringComparison.Ordinal) && string.Equals(Type, other.Type, StringComparison.Ordinal) && Plain.AsSpan().SequenceEqual(other.Plain);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            hash.Add(Aad, StringComparer.Ordinal);
            hash.Add(Type, StringComparer.Ordinal);
            hash.AddBytes(Plain);
            return hash.ToHashCode();
        }
    }
}
