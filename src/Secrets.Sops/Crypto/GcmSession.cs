using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Core;

namespace Secrets.Sops.Crypto;

/// <summary>
/// AES-256-GCM with sops' 32-byte IV (sops.md §1) for one thread at a time. The BCL's AesGcm only takes 12-byte nonces,
/// so this is BouncyCastle's GCM. One GCM object per direction is kept for the whole file so the AES key schedule and the
/// GHASH tables are built once; later inits pass no key (BouncyCastle keeps it). AAD and buffers live on the stack or in
/// the shared pool, so a value costs the output string and (decrypting) its plaintext array.
/// </summary>
internal sealed class GcmSession(byte[] key)
{
    public const int IvSize = 32;
    public const int TagSize = 16;
    private const int StackLimit = 512;
    private readonly byte[] _ivs = new byte[IvSize * 64];
    private GcmBlockCipher? _encryptor;
    private GcmBlockCipher? _decryptor;
    private byte[]? _lastEncryptionIv;
    private int _ivsUsed = IvSize * 64;

    /// <summary>The ENC[…] text of <paramref name="plain"/> under <paramref name="iv"/>.</summary>
    public string Encrypt(ReadOnlySpan<byte> plain, byte[] iv, string aad, string type)
    {
        var size = EncValue.FormattedLength(plain.Length, iv.Length, TagSize, type);
        byte[]? rented = null;
        var text = size <= StackLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            return Encoding.UTF8.GetString(text[..Encrypt(plain, iv, aad, type, text)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes the ENC[…] text of <paramref name="plain"/> under <paramref name="iv"/> as UTF-8 into
    /// <paramref name="destination"/> (<see cref="EncValue.FormattedLength"/> bytes at least); returns its length.
    /// </summary>
    public int Encrypt(ReadOnlySpan<byte> plain, byte[] iv, string aad, string type, Span<byte> destination)
    {
        // BouncyCastle refuses an encryption init that repeats the previous nonce, which the IV stash can legitimately
        // ask for (equal values in one list share path and plaintext): such an init gets a fresh object.
        var fresh = _encryptor is null || (_lastEncryptionIv is { } last && last.AsSpan().SequenceEqual(iv));
        var gcm = fresh ? NewGcm() : _encryptor!;
        gcm.Init(true, new AeadParameters(fresh ? new KeyParameter(key) : null, TagSize * 8, iv));
        _encryptor = gcm;
        _lastEncryptionIv = iv;
        ProcessAad(gcm, aad);
        var size = plain.Length + TagSize;
        byte[]? rented = null;
        var output = size <= StackLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            var length = gcm.ProcessBytes(plain, output);
            length += gcm.DoFinal(output[length..]);
            return EncValue.FormatUtf8(output[..(length - TagSize)], iv, output[(length - TagSize)..length], type, destination);
        }
        catch
        {
            _encryptor = null;
            throw;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The plaintext of <paramref name="value"/>; tampering or a wrong key or path is an integrity failure.</summary>
    public byte[] Decrypt(EncValue value, string aad)
    {
        var gcm = _decryptor ?? NewGcm();
        gcm.Init(false, new AeadParameters(_decryptor is null ? new KeyParameter(key) : null, TagSize * 8, value.Iv));
        _decryptor = gcm;
        try
        {
            ProcessAad(gcm, aad);
            var plain = new byte[value.Data.Length];
            var length = gcm.ProcessBytes(value.Data, plain);
            length += gcm.ProcessBytes(value.Tag, plain.AsSpan(length));
            length += gcm.DoFinal(plain.AsSpan(length));
            return length == plain.Length ? plain : plain[..length];
        }
        catch (InvalidCipherTextException ex)
        {
            // A failed authentication leaves the object mid-message: the next value starts on a fresh one.
            _decryptor = null;
            throw new IntegrityException($"cannot decrypt the value at \"{aad}\": authentication failed", ex)
            {
                Hints = ["the value, its key path or the data key do not match: the file was modified or its keys belong to another file"],
            };
        }
        catch
        {
            _decryptor = null;
            throw;
        }
    }

    private static GcmBlockCipher NewGcm() => new(AesEngine_X86.IsSupported ? new AesEngine_X86() : new AesEngine());

    private static void ProcessAad(GcmBlockCipher gcm, string aad)
    {
        var size = Encoding.UTF8.GetMaxByteCount(aad.Length);
        byte[]? rented = null;
        var bytes = size <= StackLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            gcm.ProcessAadBytes(bytes[..Encoding.UTF8.GetBytes(aad, bytes)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A fresh random IV. They are drawn from the system generator 64 at a time: one OpenSSL call per value (its
    /// method lookup and error-queue clearing) was about 5% of encrypting a 100k-value file.
    /// </summary>
    public byte[] NewIv()
    {
        if (_ivsUsed == _ivs.Length)
        {
            RandomNumberGenerator.Fill(_ivs);
            _ivsUsed = 0;
        }

        var iv = _ivs.AsSpan(_ivsUsed, IvSize).ToArray();
        _ivsUsed += IvSize;
        return iv;
    }
}
