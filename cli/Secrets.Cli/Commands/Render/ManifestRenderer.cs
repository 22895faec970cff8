using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;
using Secrets.Sops.Kubernetes;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// Turns one stored object into what the cluster should receive (docs/gitops.md "render"): sops documents and
/// sops-encrypted Secret values decrypted with Flux's rules, SopsSecrets expanded into their Secrets, SealedSecrets
/// unsealed when private keys were given. A Secret that still carries <c>sops</c> is refused (Flux's apply guard).
/// </summary>
internal sealed class ManifestRenderer(ManifestDecryptor decryptor, UnsealingKeySet? sealingKeys)
{
    public async Task<IReadOnlyList<JsonObject>> RenderAsync(JsonObject document, string source, CancellationToken cancellationToken)
    {
        var decrypted = await decryptor.DecryptAsync(document, cancellationToken).ConfigureAwait(false);
        if (SopsSecretDocument.IsSopsSecret(decrypted) && !decrypted.ContainsKey("sops") && SopsDetection.IsEncryptedDocument(document))
        {
            return SopsSecretDocument.ToSecrets(decrypted);
        }

        if (sealingKeys is not null && Nodes.GetString(decrypted["kind"]) == SealedSecret.Kind
            && Nodes.GetString(decrypted["apiVersion"])?.StartsWith("bitnami.com/", StringComparison.Ordinal) == true)
        {
            var secret = sealingKeys.Unseal(SealedSecret.FromDocument(decrypted, source), cancellationToken);
            try
            {
                return [secret.ToDocument()];
            }
            finally
            {
                secret.Clear();
            }
        }

        if (SopsDetection.IsUndecryptedSecret(decrypted))
        {
            throw new InvalidFileException($"{ManifestDecryptor.Describe(decrypted)} in \"{source}\" is SOPS encrypted but has no MAC, so it cannot be decrypted")
            {
                Hints = ["encrypt it again with 'secrets sopssecret' or sops, or annotate it kustomize.toolkit.fluxcd.io/decrypt: Disabled"],
            };
        }

        return [decrypted];
    }
}
