using System.Text;
using Secrets.Core;

namespace Secrets.Sealing;

/// <summary>Unsealing whole SealedSecrets: all items in parallel (the RSA private operation dominates), all-or-nothing.</summary>
public sealed partial class UnsealingKeySet
{
    /// <summary>
    /// Unseals every item with the label from the outer metadata (§1.3) and renders template data (§2.2) into the
    /// Secret the controller would produce. Throws <see cref="NoMatchingKeyException"/> naming the items no key opened.
    /// </summary>
    public SecretManifest Unseal(SealedSecret sealedSecret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        var name = $"{sealedSecret.Metadata.Namespace}/{sealedSecret.Metadata.Name}";
        if (sealedSecret.LegacyData is not null && sealedSecret.EncryptedData.Count == 0)
        {
            throw new InvalidFileException($"SealedSecret \"{name}\" uses the legacy spec.data format (kubeseal before v0.7), which is not supported");
        }

        var label = sealedSecret.Label;
        var items = sealedSecret.EncryptedData.ToArray();
        var blobs = new byte[items.Length][];
        for (var i = 0; i < items.Length; i++)
        {
            try
            {
                blobs[i] = DecodeBase64(items[i].Value);
            }
            catch (InvalidFileException e)
            {
                throw new InvalidFileException($"SealedSecret \"{name}\": encryptedData.\"{items[i].Key}\" is not valid base64", e);
            }
        }

        var results = new byte[]?[items.Length];
        var errors = new SecretsException?[items.Length];
        Parallel.For(0, items.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            try
            {
                results[i] = TryDecrypt(blobs[i], label, out var plaintext) ? plaintext : null;
            }
            catch (SecretsException e)
            {
                errors[i] = e;
            }
        });

        var secret = new SecretManifest
        {
            Metadata = sealedSecret.Template.Metadata.Clone(),
            Type = sealedSecret.Template.Type,
            Immutable = sealedSecret.Template.Immutable,
        };
        try
        {
            Collect(sealedSecret, name, items, results, errors, secret);
            Render(sealedSecret, secret);
        }
        catch
        {
            secret.Clear();
            throw;
        }

        // §2.2: name and namespace are forced to the SealedSecret's own.
        secret.Metadata.Name = sealedSecret.Metadata.Name;
        secret.Metadata.Namespace = sealedSecret.Metadata.Namespace;
        return secret;
    }

    private void Collect(
        SealedSecret sealedSecret,
        string name,
        KeyValuePair<string, string>[] items,
        byte[]?[] results,
        SecretsException?[] errors,
        SecretManifest secret)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (results[i] is { } value)
            {
                secret.Data[items[i].Key] = value;
            }
        }

        for (var i = 0; i < items.Length; i++)
        {
            if (errors[i] is { } error)
            {
                var message = $"SealedSecret \"{name}\": encryptedData.\"{items[i].Key}\": {error.Message}";
                throw error is IntegrityException ? new IntegrityException(message, error) : new InvalidFileException(message, error);
            }
        }

        var failed = items.Where((_, i) => results[i] is null).Select(p => p.Key).ToList();
        if (failed.Count > 0)
        {
            var scope = sealedSecret.Scope;
            var label = Encoding.UTF8.GetString(sealedSecret.Label);
            var attempts = _fingerprints.Select(f => $"key {f}: cannot decrypt with label \"{label}\" ({scope.ToFlagValue()} scope)").ToList();
            throw new NoMatchingKeyException($"no key could decrypt SealedSecret \"{name}\" (items {string.Join(", ", failed.Select(f => $"\"{f}\""))})", attempts)
            {
                Hints = scope switch
                {
                    SealedSecretScope.Strict => ["strict scope binds namespace and name: a renamed or moved SealedSecret cannot be unsealed; otherwise the value was sealed for another controller key"],
                    SealedSecretScope.NamespaceWide => ["namespace-wide scope binds the namespace: a SealedSecret moved to another namespace cannot be unsealed; otherwise the value was sealed for another controller key"],
                    _ => ["the values were sealed for another controller key; add its private key with another -k"],
                },
            };
        }
    }

    private static void Render(SealedSecret sealedSecret, SecretManifest secret)
    {
        if (sealedSecret.Template.Data.Count == 0)
        {
            return;
        }

        // Go templates see the decrypted values as strings keyed by item name (§2.2).
        var values = secret.Data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value), StringComparer.Ordinal);
        foreach (var (item, template) in sealedSecret.Template.Data)
        {
            secret.Data[item] = Encoding.UTF8.GetBytes(TemplateRenderer.Render(item, template, values));
        }
    }
}
