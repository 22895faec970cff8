using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.Core;
using Secrets.Sealing;
using Secrets.Sealing.Manifests;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// The controller HTTP API kubeseal calls through the service proxy (sealed-secrets.md §4.1). Handlers accept any method,
/// like upstream. <c>/v1/verify</c> has a single failure answer (409, fixed body) whatever failed inside the unseal, so it
/// is no decryption oracle, and it is rate limited per client.
/// </summary>
public static class SealedSecretsApi
{
    public const string VerifyRateLimit = "verify";
    private const int MaxBody = 4 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Map("/v1/cert.pem", (HttpContext context, KeyRegistry keys, SealedSecretMetrics metrics) =>
            Measure(context, metrics, "/v1/cert.pem", () => Task.FromResult(keys.Latest is { } latest
                ? Results.Text(latest.CertificatePem, "application/x-pem-file")
                : Results.Text("cannot get certificate\n", "text/plain; charset=utf-8", statusCode: 500))));
        app.Map("/v1/verify", (HttpContext context, KeyRegistry keys, SealedSecretMetrics metrics) =>
            Measure(context, metrics, "/v1/verify", () => VerifyAsync(context, keys))).RequireRateLimiting(VerifyRateLimit);
        app.Map("/v1/rotate", (HttpContext context, KeyRegistry keys, SealedSecretMetrics metrics) =>
            Measure(context, metrics, "/v1/rotate", () => RotateAsync(context, keys)));
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, KeyRegistry keys)
    {
        var (sealedSecret, error) = await ReadAsync(context).ConfigureAwait(false);
        if (sealedSecret is null)
        {
            return error!;
        }

        try
        {
            keys.Keys.Unseal(sealedSecret, context.RequestAborted).Clear();
            return Results.Text("OK\n", "text/plain; charset=utf-8");
        }
        catch (SecretsException)
        {
            return Results.Text("Conflict\n", "text/plain; charset=utf-8", statusCode: 409);
        }
    }

    private static async Task<IResult> RotateAsync(HttpContext context, KeyRegistry keys)
    {
        var (sealedSecret, error) = await ReadAsync(context).ConfigureAwait(false);
        if (sealedSecret is null)
        {
            return error!;
        }

        if (keys.LatestSealingKey() is not { } latest)
        {
            return Results.Text("cannot get certificate\n", "text/plain; charset=utf-8", statusCode: 500);
        }

        // §4.1: outer name/namespace/annotations win over the template's before re-encrypting.
        sealedSecret.Template.Metadata.Name = sealedSecret.Metadata.Name;
        sealedSecret.Template.Metadata.Namespace = sealedSecret.Metadata.Namespace;
        var annotations = sealedSecret.Template.Metadata.Annotations;
        foreach (var (key, value) in sealedSecret.Metadata.Annotations)
        {
            annotations[key] = value;
        }

        sealedSecret.Template.Metadata.Annotations = annotations;
        SecretManifest secret;
        try
        {
            secret = keys.Keys.Unseal(sealedSecret, context.RequestAborted);
        }
        catch (SecretsException)
        {
            return Results.Text("Error decrypting secret\n", "text/plain; charset=utf-8", statusCode: 500);
        }

        try
        {
            var rotated = new SecretSealer(latest).Seal(secret, new SealOptions { Scope = sealedSecret.Scope, AllowEmptyData = true }).ToDocument();
            rotated.Remove("kind");
            rotated.Remove("apiVersion");
            return Results.Text(rotated.ToJsonString(), "application/json");
        }
        finally
        {
            secret.Clear();
        }
    }

    private static async Task<(SealedSecret? SealedSecret, IResult? Error)> ReadAsync(HttpContext context)
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBody)
                {
                    return (null, Results.Text("request body too large\n", statusCode: 400));
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (IOException)
        {
            return (null, Results.Text("cannot read request body\n", statusCode: 400));
        }

        try
        {
            var documents = ManifestReader.ReadObjects(Encoding.UTF8.GetString(body), "request");
            if (documents.Count != 1)
            {
                return (null, Results.Text("expected exactly one SealedSecret\n", statusCode: 500));
            }

            var document = documents[0];
            document["kind"] ??= SealedSecret.Kind;
            document["apiVersion"] ??= JsonValue.Create(SealedSecret.ApiVersion);
            return (SealedSecret.FromDocument(document, "request"), null);
        }
        catch (SecretsException)
        {
            return (null, Results.Text("cannot decode SealedSecret\n", statusCode: 500));
        }
    }

    private static async Task<IResult> Measure(HttpContext context, SealedSecretMetrics metrics, string path, Func<Task<IResult>> handle)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await handle().ConfigureAwait(false);
        var code = result is IStatusCodeHttpResult { StatusCode: { } status } ? status : 200;
        metrics.HttpRequests.WithLabels(path, code.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Request.Method).Inc();
        metrics.HttpDuration.WithLabels(path, context.Request.Method).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }
}
