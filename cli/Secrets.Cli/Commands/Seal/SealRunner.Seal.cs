using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal;

/// <summary>The sealing modes: whole Secrets, one raw value, and merging into an existing SealedSecret.</summary>
internal sealed partial class SealRunner
{
    private async Task SealAsync(CancellationToken cancellationToken)
    {
        var documents = await SealIo.ReadObjectsAsync(context, request.Input, cancellationToken).ConfigureAwait(false);
        var source = request.Input ?? "stdin";
        var secrets = documents.Select(d => SecretManifest.FromDocument(d, source)).ToList();
        var sealer = new SecretSealer(await GetSealingKeyAsync(cancellationToken).ConfigureAwait(false));
        var options = new SealOptions
        {
            Scope = ParseScope(),
            Name = request.Name,
            Namespace = request.Namespace,
            DefaultNamespace = request.Namespace is null ? DefaultNamespace() : null,
            AllowEmptyData = request.AllowEmptyData,
        };
        var output = new List<JsonObject>();
        try
        {
            foreach (var secret in secrets)
            {
                output.Add(sealer.Seal(secret, options).ToDocument());
            }
        }
        finally
        {
            secrets.ForEach(s => s.Clear());
        }

        await SealIo.WriteOutputAsync(context, request.Output, SealIo.Render(output, Format(request.Output)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>--raw</c>: one value, printed as bare base64 without a newline (kubeseal does the same).</summary>
    private async Task SealRawAsync(CancellationToken cancellationToken)
    {
        var scope = ParseScope() ?? SealedSecretScope.Strict;
        var ns = scope == SealedSecretScope.ClusterWide ? request.Namespace : request.Namespace ?? DefaultNamespace();
        if (scope != SealedSecretScope.ClusterWide && ns is null)
        {
            throw Usage($"--raw in {scope.ToFlagValue()} scope needs a namespace", "pass --namespace NS (or use --scope cluster-wide)");
        }

        if (scope == SealedSecretScope.Strict && request.Name is null)
        {
            throw Usage("--raw in strict scope needs --name", "pass --name NAME of the SealedSecret the value goes into, or use --scope namespace-wide");
        }

        string? path = null;
        if (request.FromFile is { } fromFile)
        {
            // [name=]path: the item name is irrelevant to the ciphertext (items are not bound, §1.3).
            var equals = fromFile.IndexOf('=', StringComparison.Ordinal);
            path = equals >= 0 ? fromFile[(equals + 1)..] : fromFile;
        }

        var value = await SealIo.ReadInputAsync(context, path, "value file", cancellationToken).ConfigureAwait(false);
        try
        {
            var key = await GetSealingKeyAsync(cancellationToken).ConfigureAwait(false);
            var sealedValue = key.Seal(value, scope, ns, request.Name);
            await SealIo.WriteOutputAsync(context, request.Output, Encoding.ASCII.GetBytes(sealedValue), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
        }
    }

    /// <summary>
    /// <c>--merge-into FILE</c>: seals the input Secret's items for FILE's SealedSecret and rewrites FILE atomically.
    /// Without <c>-o</c> the file keeps its own format (kubeseal would switch a YAML file to JSON).
    /// </summary>
    private async Task MergeIntoAsync(CancellationToken cancellationToken)
    {
        var targetPath = request.MergeInto!;
        var targetBytes = await SealIo.ReadInputAsync(context, targetPath, "--merge-into file", cancellationToken).ConfigureAwait(false);
        var targetDocuments = ManifestReader.ReadObjects(targetBytes, targetPath);
        if (targetDocuments.Count != 1)
        {
            throw new InvalidFileException($"\"{targetPath}\" must hold exactly one SealedSecret, found {targetDocuments.Count} objects");
        }

        var target = SealedSecret.FromDocument(targetDocuments[0], targetPath);
        var source = request.Input ?? "stdin";
        var secrets = (await SealIo.ReadObjectsAsync(context, request.Input, cancellationToken).ConfigureAwait(false))
            .Select(d => SecretManifest.FromDocument(d, source)).ToList();
        var sealer = new SecretSealer(await GetSealingKeyAsync(cancellationToken).ConfigureAwait(false));
        try
        {
            secrets.ForEach(secret => sealer.MergeInto(target, secret));
        }
        finally
        {
            secrets.ForEach(s => s.Clear());
        }

        var format = request.Format is null
            ? (ManifestReader.Decode(targetBytes).TrimStart().StartsWith('{') ? ManifestFormat.Json : ManifestFormat.Yaml)
            : Format(null);
        await SealIo.WriteOutputAsync(context, targetPath, SealIo.Render([target.ToDocument()], format), cancellationToken).ConfigureAwait(false);
    }
}
