using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Cli.Commands.Seal;
using Secrets.Core;
using Secrets.Sealing.Manifests;
using Secrets.Sops.Kubernetes;

namespace Secrets.Cli.Commands.Render;

/// <summary>
/// <c>secrets krm</c>: a kustomize exec KRM function / generator accepting KSOPS' manifests (eso-flux.md §4.1, §4.4
/// item 2). With no argument it reads a <c>ResourceList</c> on stdin, drops the generator items kustomize injects
/// (local-config), appends what the generator produces and writes the <c>ResourceList</c>; on error it writes one with
/// <c>results</c> only and exits non-zero. With a file argument (kustomize v3 legacy exec plugins) it prints the
/// generated objects as a YAML stream.
/// </summary>
internal static class KrmCommand
{
    private const string LocalConfig = "config.kubernetes.io/local-config";

    public static Command Create(CliContext context)
    {
        var config = new Argument<string?>("GENERATOR") { Description = "Legacy exec form: the generator manifest; omit for the KRM function protocol on stdin", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("krm", "Kustomize KRM exec function: generate Secrets from sops-encrypted files, accepting KSOPS generator manifests (viaduct.ai/v1 ksops).\n\nUse: kustomize build --enable-alpha-plugins --enable-exec (see docs/gitops.md)") { config };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var keys = new RenderKeys(context);
            var generator = new KsopsGenerator(new ManifestDecryptor(keys.Recovery(), MacCheck.Always), context);
            if (result.GetValue(config) is { } path)
            {
                var documents = await SealIo.ReadObjectsAsync(context, path, cancellationToken).ConfigureAwait(false);
                var output = new List<JsonObject>();
                foreach (var document in documents.Where(KsopsGenerator.IsGenerator))
                {
                    output.AddRange(await generator.GenerateAsync(document, cancellationToken).ConfigureAwait(false));
                }

                await SealIo.WriteOutputAsync(context, null, SealIo.Render(output, ManifestFormat.Yaml), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            return await RunFunctionAsync(context, generator, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunFunctionAsync(CliContext context, KsopsGenerator generator, CancellationToken cancellationToken)
    {
        var input = await SealIo.ReadInputAsync(context, null, "ResourceList", cancellationToken).ConfigureAwait(false);
        var apiVersion = "config.kubernetes.io/v1";
        try
        {
            var list = ManifestReader.ReadObjects(input, "stdin") is [var single] && Nodes.GetString(single["kind"]) == "ResourceList"
                ? single
                : throw new InvalidFileException("stdin does not hold one ResourceList")
                {
                    Hints = ["run through kustomize (--enable-alpha-plugins --enable-exec), or pass the generator file as an argument"],
                };
            apiVersion = Nodes.GetString(list["apiVersion"]) ?? apiVersion;
            var items = (list["items"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var generators = items.Where(KsopsGenerator.IsGenerator).ToList();
            if (list["functionConfig"] is JsonObject functionConfig && KsopsGenerator.IsGenerator(functionConfig) && generators.Count == 0)
            {
                generators.Add(functionConfig);
            }

            var output = items.Where(i => !(KsopsGenerator.IsGenerator(i) && Nodes.GetString(i["metadata"]?["annotations"]?[LocalConfig]) == "true")).Select(i => i.DeepClone()).ToList();
            foreach (var item in generators)
            {
                output.AddRange(await generator.GenerateAsync(item, cancellationToken).ConfigureAwait(false));
            }

            await WriteAsync(context, new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "ResourceList", ["items"] = new JsonArray([.. output]) }, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (SecretsException e)
        {
            // The protocol reports failures in results; the message names files and keys, never values.
            var results = new JsonArray(new JsonObject { ["message"] = e.Message, ["severity"] = "error" });
            await WriteAsync(context, new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "ResourceList", ["items"] = new JsonArray(), ["results"] = results }, cancellationToken).ConfigureAwait(false);
            return new ErrorReporter(context).Report(e);
        }
    }

    private static Task WriteAsync(CliContext context, JsonObject list, CancellationToken cancellationToken) =>
        SealIo.WriteOutputAsync(context, null, Encoding.UTF8.GetBytes(ManifestWriter.Write(list, ManifestFormat.Yaml)), cancellationToken);
}
