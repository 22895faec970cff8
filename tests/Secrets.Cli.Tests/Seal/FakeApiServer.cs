using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Secrets.Core;
using Secrets.Sealing;

namespace Secrets.Cli.Tests.Seal;

/// <summary>
/// A loopback Kubernetes API server that serves the sealed-secrets controller through its service proxy
/// (sealed-secrets.md §4.2): the Service object, /v1/cert.pem, /v1/verify (200/409) and /v1/rotate. Requests
/// without the expected bearer token get 401, like the real API server.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApiServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public string Token { get; } = "test-token-" + Guid.NewGuid().ToString("N");

    public string ServiceName { get; init; } = "sealed-secrets-controller";

    public string ServiceNamespace { get; init; } = "kube-system";

    public string PortName { get; init; } = "";

    public required string CertificatePem { get; set; }

    public required UnsealingKeySet Keys { get; init; }

    /// <summary>The key /v1/rotate re-seals with (the controller's newest key).</summary>
    public required SealingKey NewestKey { get; init; }

    public List<string> Requests { get; } = [];

    public static async Task<FakeApiServer> StartAsync(
        string certificatePem, UnsealingKeySet keys, SealingKey newestKey, string portName = "", string serviceName = "sealed-secrets-controller", string serviceNamespace = "kube-system")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeApiServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeApiServer(app, url)
        {
            CertificatePem = certificatePem,
            Keys = keys,
            NewestKey = newestKey,
            PortName = portName,
            ServiceName = serviceName,
            ServiceNamespace = serviceNamespace,
        };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        lock (Requests)
        {
            Requests.Add($"{context.Request.Method} {path}");
        }

        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"kind":"Status","message":"Unauthorized","code":401}""");
            return;
        }

        var service = $"/api/v1/namespaces/{ServiceNamespace}/services/{ServiceName}";
        var proxy = $"/api/v1/namespaces/{ServiceNamespace}/services/http:{ServiceName}:{PortName}/proxy";
        if (path == service)
        {
            await context.Response.WriteAsync($$$"""{"kind":"Service","apiVersion":"v1","metadata":{"name":"{{{ServiceName}}}"},"spec":{"ports":[{"name":"{{{PortName}}}","port":8080}]}}""");
        }
        else if (path == $"{proxy}/v1/cert.pem")
        {
            context.Response.ContentType = "application/x-pem-file";
            await context.Response.WriteAsync(CertificatePem);
        }
        else if (path == $"{proxy}/v1/verify" && context.Request.Method == "POST")
        {
            var sealedSecret = await ReadBodyAsync(context);
            context.Response.StatusCode = TryUnseal(sealedSecret) is null ? 409 : 200;
        }
        else if (path == $"{proxy}/v1/rotate" && context.Request.Method == "POST")
        {
            await RotateAsync(context);
        }
        else
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"kind":"Status","message":"not found","code":404}""");
        }
    }

    private async Task RotateAsync(HttpContext context)
    {
        var sealedSecret = await ReadBodyAsync(context);
        if (TryUnseal(sealedSecret) is not { } secret)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("Error unsealing secret");
            return;
        }

        var resealed = new SealedSecret { Metadata = sealedSecret.Metadata, Template = sealedSecret.Template };
        foreach (var (item, value) in secret.Data)
        {
            resealed.EncryptedData[item] = NewestKey.Seal(value, sealedSecret.Scope, sealedSecret.Metadata.Namespace, sealedSecret.Metadata.Name);
        }

        // Like the controller: the body has no kind/apiVersion, and server fields are set.
        var document = resealed.ToDocument();
        document.Remove("kind");
        document.Remove("apiVersion");
        document["metadata"]!["creationTimestamp"] = "2024-01-01T00:00:00Z";
        document["metadata"]!["generation"] = 3;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(document.ToJsonString());
    }

    private SecretManifest? TryUnseal(SealedSecret sealedSecret)
    {
        try
        {
            return Keys.Unseal(sealedSecret);
        }
        catch (NoMatchingKeyException)
        {
            return null;
        }
    }

    private static async Task<SealedSecret> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return SealedSecret.FromDocument((JsonObject)JsonNode.Parse(text)!, "request");
    }

    /// <summary>Writes a kubeconfig for this server (token auth) into <paramref name="directory"/>.</summary>
    public string WriteKubeConfig(string directory, string? token = null, string contextNamespace = "apps")
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake-cluster
              cluster:
                server: {Url}
            contexts:
            - name: fake
              context:
                cluster: fake-cluster
                user: fake-user
                namespace: {contextNamespace}
            users:
            - name: fake-user
              user:
                token: {token ?? Token}
            """);
        return path;
    }
}
