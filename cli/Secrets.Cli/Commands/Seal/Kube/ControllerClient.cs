using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal.Kube;

/// <summary>
/// Talks to the sealed-secrets controller the way kubeseal does (sealed-secrets.md §4.2): through the API server's
/// service proxy <c>{server}/api/v1/namespaces/{ns}/services/http:{name}:{port}/proxy/…</c> with the user's kubeconfig.
/// </summary>
internal sealed class ControllerClient : IDisposable
{
    private const string Provider = "sealed-secrets controller";
    private readonly HttpClient _http;
    private readonly KubeConfig _config;
    private readonly string _name;
    private readonly string _namespace;
    private string? _proxyBase;

    public ControllerClient(KubeConfig config, string name, string @namespace)
    {
        _config = config;
        _name = name;
        _namespace = @namespace;
        _http = new HttpClient(CreateHandler(config)) { Timeout = TimeSpan.FromSeconds(60) };
        if (config.Token is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private string Target => $"{_namespace}/{_name}";

    /// <summary>GET /v1/cert.pem: the PEM certificate of the controller's newest key.</summary>
    public async Task<byte[]> GetCertificateAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await ProxyAsync("v1/cert.pem", cancellationToken).ConfigureAwait(false));
        request.Headers.Accept.ParseAdd("application/x-pem-file, */*");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw Failure("cannot fetch the certificate", response.StatusCode, body);
    }

    /// <summary>POST /v1/verify: true when the controller can decrypt every item (200), false on 409.</summary>
    public async Task<bool> VerifyAsync(byte[] sealedSecretJson, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("v1/verify", sealedSecretJson, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? true : throw Failure("cannot validate", response.StatusCode, body);
    }

    /// <summary>POST /v1/rotate: the SealedSecret re-sealed with the newest key (JSON without kind/apiVersion, §4.1).</summary>
    public async Task<JsonObject> RotateAsync(byte[] sealedSecretJson, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("v1/rotate", sealedSecretJson, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure("cannot re-encrypt", response.StatusCode, body);
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new InvalidFileException("not an object");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidFileException)
        {
            throw new KeyProviderException(Provider, Target, "/v1/rotate answered with something that is not a SealedSecret", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await ProxyAsync(path, cancellationToken).ConfigureAwait(false))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Looks up the Service's first port name (empty for the jsonnet install, <c>http</c> for Helm) once.</summary>
    private async Task<string> ProxyAsync(string path, CancellationToken cancellationToken)
    {
        if (_proxyBase is null)
        {
            var serviceUrl = $"{_config.Server}/api/v1/namespaces/{Uri.EscapeDataString(_namespace)}/services/{Uri.EscapeDataString(_name)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, serviceUrl);
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new KeyProviderException(Provider, Target, "service not found")
                {
                    Hints =
                    [
                        "set --controller-name/--controller-namespace (a Helm install names the service after the release, e.g. sealed-secrets)",
                        "or seal offline with --cert FILE",
                    ],
                };
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Failure("cannot look up the service", response.StatusCode, body);
            }

            var portName = "";
            try
            {
                portName = Nodes.GetString(JsonNode.Parse(body)?["spec"]?["ports"]?[0]?["name"]) ?? "";
            }
            catch (System.Text.Json.JsonException)
            {
                // An unreadable Service falls back to the unnamed port, like the jsonnet install.
            }

            _proxyBase = $"{_config.Server}/api/v1/namespaces/{Uri.EscapeDataString(_namespace)}/services/http:{Uri.EscapeDataString(_name)}:{Uri.EscapeDataString(portName)}/proxy/";
        }

        return _proxyBase + path;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new KeyProviderException(Provider, Target, $"cannot reach the API server {_config.Server}: {e.Message}", e)
            {
                Hints = ["check the kubeconfig context (kubectl cluster-info), or seal offline with --cert FILE"],
            };
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeyProviderException(Provider, Target, $"the API server {_config.Server} did not answer in time", e);
        }
    }

    private KeyProviderException Failure(string what, HttpStatusCode status, byte[] body)
    {
        // The body is an API-server Status or a controller message, never plaintext; keep it short.
        var text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300))).Trim();
        var hints = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new[] { "the kubeconfig user needs get/create on services/proxy for the controller (check 'kubectl auth can-i create services/proxy -n NS')" }
            : ["check that the controller is running: kubectl get pods -n " + _namespace];
        return new KeyProviderException(Provider, Target, $"{what}: HTTP {(int)status} {text}") { Hints = hints };
    }

    private static SocketsHttpHandler CreateHandler(KubeConfig config)
    {
        var handler = new SocketsHttpHandler { UseProxy = true };
        var ssl = new SslClientAuthenticationOptions();
        if (config.InsecureSkipTlsVerify)
        {
            // The user's kubeconfig asks for it explicitly (insecure-skip-tls-verify: true), as kubectl honours it.
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.CertificateAuthorityPem is { } caPem)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(Encoding.ASCII.GetString(caPem));
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        if (config.ClientCertificatePem is { } certPem && config.ClientKeyPem is { } keyPem)
        {
            var clientCertificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certPem), Encoding.ASCII.GetString(keyPem));
            ssl.ClientCertificates = [clientCertificate];
        }

        handler.SslOptions = ssl;
        return handler;
    }
}
