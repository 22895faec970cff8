using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Secrets.Core;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Crypto;

/// <summary>
/// AES-256-GCM over single values with sops' 32-byte IV (sops.md §1): the BCL's AesGcm only takes 12-byte nonces,
/// so BouncyCastle's GCM is used. Keeps sops' IV stash (§1.3): a value decrypted here and encrypted again unchanged at
/// the same path gets the same IV, hence the same ciphertext and a minimal diff.
/// </summary>
public sealed class ValueCipher : IDisposable
{
    private const int IvSize = 32;
    private const int TagSize = 16;
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<(string Aad, string Plain), byte[]> _stash = new();
    private readonly Lock _gate = new();
    private GcmBlockCipher? _encryptor;
    private GcmBlockCipher? _decryptor;
    private byte[]? _lastEncryptionIv;

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
        var type = PlainValue.TypeName(value);
        var plain = PlainValue.ToBytes(value);
        if (plain.Length == 0 && value is string or Comment)
        {
            return "";
        }

        var stashKey = (aad, Convert.ToBase64String(plain) + "\0" + type);
        var iv = _stash.TryGetValue(stashKey, out var stashed) ? stashed : RandomNumberGenerator.GetBytes(IvSize);
        var output = Run(forEncryption: true, iv, Encoding.UTF8.GetBytes(aad), plain);
        CryptographicOperations.ZeroMemory(plain);
        return new EncValue(output[..^TagSize], iv, output[^TagSize..], type).ToString();
    }

    /// <summary>Decrypts an ENC value; "" stays "". Tampering or a wrong key/path is an integrity failure.</summary>
    public object Decrypt(string text, string aad)
    {
        if (text.Length == 0)
        {
            return "";
        }

        var enc = EncValue.Parse(text, aad);
        byte[] plain;
        try
        {
            plain = Run(forEncryption: false, enc.Iv, Encoding.UTF8.GetBytes(aad), [.. enc.Data, .. enc.Tag]);
        }
        catch (InvalidCipherTextException ex)
        {
            throw new IntegrityException($"cannot decrypt the value at \"{aad}\": authentication failed", ex)
            {
                Hints = ["the value, its key path or the data key do not match: the file was modified or its keys belong to another file"],
            };
        }

        var value = PlainValue.FromBytes(enc.Type, plain, aad);
        _stash[(aad, Convert.ToBase64String(plain) + "\0" + enc.Type)] = enc.Iv;
        if (value is not byte[])
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        return value;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <summary>
    /// One GCM object per direction for the whole file, so the AES key schedule is built once instead of per value;
    /// later inits pass no key (BouncyCastle keeps it). BouncyCastle refuses an encryption init that repeats the previous
    /// nonce, which the IV stash can legitimately ask for (equal values in one list share path and plaintext), so such an
    /// init gets a fresh object.
    /// </summary>
    private byte[] Run(bool forEncryption, byte[] iv, byte[] aad, byte[] input)
    {
        lock (_gate)
        {
            var gcm = forEncryption ? _encryptor : _decryptor;
            var fresh = gcm is null || (forEncryption && _lastEncryptionIv is { } last && last.AsSpan().SequenceEqual(iv));
            if (fresh)
            {
                gcm = new GcmBlockCipher(Org.BouncyCastle.Crypto.Engines.AesEngine_X86.IsSupported ? new Org.BouncyCastle.Crypto.Engines.AesEngine_X86() : new Org.BouncyCastle.Crypto.Engines.AesEngine());
            }

            gcm!.Init(forEncryption, new AeadParameters(fresh ? new KeyParameter(_key) : null, TagSize * 8, iv, aad));
            if (forEncryption)
            {
                _encryptor = gcm;
                _lastEncryptionIv = iv;
            }
            else
            {
                _decryptor = gcm;
            }

            try
            {
                var output = new byte[gcm.GetOutputSize(input.Length)];
                var length = gcm.ProcessBytes(input, 0, input.Length, output, 0);
                length += gcm.DoFinal(output, length);
                return length == output.Length ? output : output[..length];
            }
            catch
            {
                // A failed authentication leaves the object mid-message: start the next value on a fresh one.
                _encryptor = forEncryption ? null : _encryptor;
                _decryptor = forEncryption ? _decryptor : null;
                throw;
            }
        }
    }
}
