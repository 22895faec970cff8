using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Secrets.Sealing.Crypto;

/// <summary>
/// RSA-OAEP-SHA256 decryption with a label through the OpenSSL 3 library the .NET runtime already uses on
/// Linux. Unsealing costs one RSA-4096 private operation per value (sealed-secrets.md §1.5) and BouncyCastle's
/// managed big-integer arithmetic runs it several times slower than OpenSSL; the BCL has the speed but cannot
/// pass an OAEP label. So the key is loaded into the BCL's <see cref="RSAOpenSsl"/> and the label is set on an
/// EVP_PKEY_CTX directly. OpenSSL blinds RSA private operations by default. Where OpenSSL 3 is not available
/// (other platforms, OpenSSL 1.1) <see cref="TryImport"/> returns null and the caller uses BouncyCastle.
/// </summary>
internal static unsafe class OpenSslOaep
{
    private const int RsaPkcs1OaepPadding = 4;

    private static readonly Api? Native = Api.Load();

    /// <summary>An OpenSSL key handle for <paramref name="key"/>, or null when OpenSSL 3 cannot be used here.</summary>
    public static SafeEvpPKeyHandle? TryImport(RSAParameters key)
    {
        if (Native is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var rsa = new RSAOpenSsl(key);
            return rsa.DuplicateKeyHandle();
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decrypts an OAEP block; false for any failure (wrong key, wrong label, bad padding): one uniform result so
    /// that callers cannot become a padding oracle.
    /// </summary>
    public static bool TryDecrypt(SafeEvpPKeyHandle key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> ciphertext, Span<byte> output, out int written)
    {
        written = 0;
        var api = Native!;
        var added = false;
        key.DangerousAddRef(ref added);
        var ctx = api.CtxNew(key.DangerousGetHandle(), 0);
        try
        {
            if (ctx == 0
                || api.DecryptInit(ctx) <= 0
                || api.SetRsaPadding(ctx, RsaPkcs1OaepPadding) <= 0
                || api.SetRsaOaepMd(ctx, api.Sha256()) <= 0
                || api.SetRsaMgf1Md(ctx, api.Sha256()) <= 0
                || !SetLabel(api, ctx, label))
            {
                return false;
            }

            nuint length = (nuint)output.Length;
            fixed (byte* outPtr = output)
            fixed (byte* inPtr = ciphertext)
            {
                if (api.Decrypt(ctx, outPtr, &length, inPtr, (nuint)ciphertext.Length) <= 0)
                {
                    return false;
                }
            }

            written = (int)length;
            return true;
        }
        finally
        {
            if (ctx != 0)
            {
                api.CtxFree(ctx);
            }

            // A failed decryption leaves entries on this thread's OpenSSL error queue; the BCL expects it empty.
            api.ClearError();
            if (added)
            {
                key.DangerousRelease();
            }
        }
    }

    private static bool SetLabel(Api api, nint ctx, ReadOnlySpan<byte> label)
    {
        if (label.IsEmpty)
        {
            return true;
        }

        // set0 takes ownership of the buffer, which must come from OpenSSL's allocator.
        var buffer = api.Malloc((nuint)label.Length, null, 0);
        if (buffer == null)
        {
            return false;
        }

        label.CopyTo(new Span<byte>(buffer, label.Length));
        if (api.SetRsaOaepLabel(ctx, buffer, label.Length) <= 0)
        {
            api.Free(buffer, null, 0);
            return false;
        }

        return true;
    }

    /// <summary>The OpenSSL 3 entry points, resolved once; null when any is missing.</summary>
    private sealed class Api
    {
        public delegate* unmanaged<nint, nint, nint> CtxNew;
        public delegate* unmanaged<nint, void> CtxFree;
        public delegate* unmanaged<nint, int> DecryptInit;
        public delegate* unmanaged<nint, int, int> SetRsaPadding;
        public delegate* unmanaged<nint, nint, int> SetRsaOaepMd;
        public delegate* unmanaged<nint, nint, int> SetRsaMgf1Md;
        public delegate* unmanaged<nint, byte*, int, int> SetRsaOaepLabel;
        public delegate* unmanaged<nint, byte*, nuint*, byte*, nuint, int> Decrypt;
        public delegate* unmanaged<nint> Sha256;
        public delegate* unmanaged<nuint, byte*, int, byte*> Malloc;
        public delegate* unmanaged<byte*, byte*, int, void> Free;
        public delegate* unmanaged<void> ClearError;

        public static Api? Load()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var lib))
            {
                return null;
            }

            nint Get(string name) => NativeLibrary.TryGetExport(lib, name, out var address) ? address : 0;
            var exports = new[]
            {
                Get("EVP_PKEY_CTX_new"), Get("EVP_PKEY_CTX_free"), Get("EVP_PKEY_decrypt_init"),
                Get("EVP_PKEY_CTX_set_rsa_padding"), Get("EVP_PKEY_CTX_set_rsa_oaep_md"), Get("EVP_PKEY_CTX_set_rsa_mgf1_md"),
                Get("EVP_PKEY_CTX_set0_rsa_oaep_label"), Get("EVP_PKEY_decrypt"), Get("EVP_sha256"),
                Get("CRYPTO_malloc"), Get("CRYPTO_free"), Get("ERR_clear_error"),
            };
            if (Array.IndexOf(exports, (nint)0) >= 0)
            {
                return null;
            }

            return new Api
            {
                CtxNew = (delegate* unmanaged<nint, nint, nint>)exports[0],
                CtxFree = (delegate* unmanaged<nint, void>)exports[1],
                DecryptInit = (delegate* unmanaged<nint, int>)exports[2],
                SetRsaPadding = (delegate* unmanaged<nint, int, int>)exports[3],
                SetRsaOaepMd = (delegate* unmanaged<nint, nint, int>)exports[4],
                SetRsaMgf1Md = (delegate* unmanaged<nint, nint, int>)exports[5],
                SetRsaOaepLabel = (delegate* unmanaged<nint, byte*, int, int>)exports[6],
                Decrypt = (delegate* unmanaged<nint, byte*, nuint*, byte*, nuint, int>)exports[7],
                Sha256 = (delegate* unmanaged<nint>)exports[8],
                Malloc = (delegate* unmanaged<nuint, byte*, int, byte*>)exports[9],
                Free = (delegate* unmanaged<byte*, byte*, int, void>)exports[10],
                ClearError = (delegate* unmanaged<void>)exports[11],
            };
        }
    }
}
