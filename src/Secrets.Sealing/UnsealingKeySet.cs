using System.Security.Cryptography;
using System.Text;
using Secrets.Core;
using Secrets.Sealing.Crypto;
using Secrets.Sealing.Manifests;

namespace Secrets.Sealing;

/// <summary>
/// The controller's private keys (one per renewal, §3.3). Every key is tried for every value (§1.5 step 4);
/// "not this key" is an expected <c>false</c>, not an exception. RSA runs blinded.
/// </summary>
public sealed partial class UnsealingKeySet
{
    private readonly List<UnsealingKey> _keys = [];
    private readonly List<string> _fingerprints = [];

    public int Count => _keys.Count;

    /// <summary>Non-secret fingerprints of the loaded keys, for messages.</summary>
    public IReadOnlyList<string> Fingerprints => _fingerprints;

    /// <summary>
    /// Adds the keys in a file: PEM private keys (PKCS#1 or PKCS#8, several blocks allowed) or key Secret manifests
    /// (<c>kubernetes.io/tls</c> with <c>data.tls.key</c>; YAML/JSON, several documents or a v1.List), like
    /// kubeseal's <c>--recovery-private-key</c>. Returns how many keys were added.
    /// </summary>
    public int Add(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<RSAParameters> keys;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            keys = RsaKeys.ReadPrivateKeys(text, source);
        }
        else
        {
            keys = [];
            IReadOnlyList<System.Text.Json.Nodes.JsonObject> documents;
            try
            {
                documents = ManifestReader.ReadObjects(text, source);
            }
            catch (InvalidFileException e)
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\" is neither a PEM private key nor a key Secret manifest", e);
            }

            foreach (var document in documents)
            {
                if (Nodes.GetString(document["data"]?["tls.key"]) is not { } encoded)
                {
                    continue;
                }

                byte[] pem;
                try
                {
                    pem = Convert.FromBase64String(encoded);
                }
                catch (FormatException e)
                {
                    throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{source}\": data.\"tls.key\" is not valid base64", e);
                }

                keys.AddRange(RsaKeys.ReadPrivateKeys(Encoding.UTF8.GetString(pem), source));
                CryptographicOperations.ZeroMemory(pem);
            }
        }

        try
        {
            AddKeys(keys, source);
        }
        finally
        {
            keys.ForEach(RsaKeys.Clear);
        }

        return keys.Count;
    }

    private void AddKeys(List<RSAParameters> keys, string source)
    {
        if (keys.Count == 0)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"no RSA private key found in \"{source}\"")
            {
                Hints = ["expected a PEM 'RSA PRIVATE KEY'/'PRIVATE KEY' or a key Secret (kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml)"],
            };
        }

        foreach (var key in keys)
        {
            var fingerprint = RsaKeys.Fingerprint(key);
            if (!_fingerprints.Contains(fingerprint))
            {
                _keys.Add(new UnsealingKey(key));
                _fingerprints.Add(fingerprint);
            }
        }
    }

    /// <summary>
    /// Decrypts one raw sealed value with whichever key fits. False when no key (or the label) matches.
    /// A blob too short to hold its RSA part is malformed (<see cref="InvalidFileException"/>); a value whose key
    /// decrypted but whose AES-GCM tag fails was altered (<see cref="IntegrityException"/>).
    /// </summary>
    public bool TryDecrypt(ReadOnlyMemory<byte> blob, byte[] label, out byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(label);
        plaintext = [];
        if (!HybridEncryption.TrySplit(blob, out var rsaCiphertext, out var aesPart))
        {
            throw new InvalidFileException("the sealed value is too short (truncated)");
        }

        foreach (var key in _keys)
        {
            if (!key.TryDecryptSessionKey(label, rsaCiphertext, out var sessionKey))
            {
                continue;
            }

            try
            {
                if (!HybridEncryption.TryDecryptPayload(sessionKey, aesPart.Span, out plaintext))
                {
                    throw new IntegrityException("the sealed value was altered or truncated: its AES-GCM tag does not verify");
                }

                return true;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(sessionKey);
            }
        }

        return false;
    }

    /// <summary>Decodes a base64 <c>encryptedData</c> value (standard alphabet, padded; CR/LF skipped like Go) and decrypts it.</summary>
    public bool TryUnseal(string sealedValue, byte[] label, out byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        return TryDecrypt(DecodeBase64(sealedValue), label, out plaintext);
    }

    public override string ToString() => $"[redacted: {Count} unsealing key(s)]";

    internal static byte[] DecodeBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        }
        catch (FormatException e)
        {
            throw new InvalidFileException("the sealed value is not valid base64", e);
        }
    }
}
