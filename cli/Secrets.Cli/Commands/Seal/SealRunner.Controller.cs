using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal;

/// <summary>The modes that ask the controller: <c>--validate</c> (/v1/verify) and <c>--re-encrypt</c> (/v1/rotate).</summary>
internal sealed partial class SealRunner
{
    private async Task<List<SealedSecret>> ReadSealedSecretsAsync(CancellationToken cancellationToken)
    {
        var source = request.Input ?? "stdin";
        return [.. (await SealIo.ReadObjectsAsync(context, request.Input, cancellationToken).ConfigureAwait(false)).Select(d => SealedSecret.FromDocument(d, source))];
    }

    private async Task ValidateAsync(CancellationToken cancellationToken)
    {
        var sealedSecrets = await ReadSealedSecretsAsync(cancellationToken).ConfigureAwait(false);
        using var controller = Controller();
        foreach (var sealedSecret in sealedSecrets)
        {
            var body = ManifestWriter.WriteUtf8(sealedSecret.ToDocument(), ManifestFormat.Json);
            if (!await controller.VerifyAsync(body, cancellationToken).ConfigureAwait(false))
            {
                throw new NoMatchingKeyException($"unable to decrypt sealed secret: {sealedSecret.Metadata.Name}", [])
                {
                    Hints = ["the controller has no key for it, or it was renamed/moved outside its scope; re-seal it with 'secrets seal'"],
                };
            }
        }
    }

    /// <summary>Re-seals through the controller; with only <c>-f</c> the file is rewritten in place (§4.3).</summary>
    private async Task ReEncryptAsync(CancellationToken cancellationToken)
    {
        var sealedSecrets = await ReadSealedSecretsAsync(cancellationToken).ConfigureAwait(false);
        using var controller = Controller();
        var output = new List<JsonObject>();
        foreach (var sealedSecret in sealedSecrets)
        {
            var body = ManifestWriter.WriteUtf8(sealedSecret.ToDocument(), ManifestFormat.Json);
            var rotated = await controller.RotateAsync(body, cancellationToken).ConfigureAwait(false);

            // /v1/rotate omits kind and apiVersion (§4.1); kubeseal re-adds them and clears server fields.
            rotated["kind"] = SealedSecret.Kind;
            rotated["apiVersion"] = SealedSecret.ApiVersion;
            var resealed = SealedSecret.FromDocument(rotated, "/v1/rotate");
            resealed.Metadata.Remove("creationTimestamp", "generation", "resourceVersion", "uid");
            output.Add(resealed.ToDocument());
        }

        var destination = request.Output ?? (request.Input is { } input && input != "-" ? input : null);
        var format = request.Format is null && destination == request.Input && destination is not null
            ? FormatOfFile(destination)
            : Format(destination);
        await SealIo.WriteOutputAsync(context, destination, SealIo.Render(output, format), cancellationToken).ConfigureAwait(false);
    }

    private ManifestFormat FormatOfFile(string path)
    {
        var text = File.ReadAllText(context.ResolvePath(path));
        return text.TrimStart().StartsWith('{') ? ManifestFormat.Json : ManifestFormat.Yaml;
    }
}
