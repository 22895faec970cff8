using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// The service proxy (<c>/api/v1/namespaces/{ns}/services/[scheme:]name[:port]/proxy/{path}</c>), as kubeseal uses it to
/// reach the controller (sealed-secrets.md §4.2): the Service object must exist, the "endpoint" is a handler the test maps.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private readonly Dictionary<(string Namespace, string Service), Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _proxies = [];

    /// <summary>Serves proxied requests for Service <paramref name="service"/> with <paramref name="handler"/> (its request URI is the in-cluster URL).</summary>
    public void MapServiceProxy(string ns, string service, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> handler)
    {
        lock (_proxies)
        {
            _proxies[(ns, service)] = handler;
        }
    }

    /// <summary>Forwards proxied requests for Service <paramref name="service"/> to <paramref name="target"/> (e.g. a controller's loopback listener).</summary>
    public void MapServiceProxy(string ns, string service, Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        MapServiceProxy(ns, service, async (request, cancellationToken) =>
        {
            using var client = new HttpClient();
            request.RequestUri = new Uri(target, request.RequestUri!.PathAndQuery.TrimStart('/'));
            return await client.SendAsync(request, cancellationToken);
        });
    }

    private async Task ProxyAsync(HttpContext context, Route route)
    {
        // name is "svc", "svc:port" or "scheme:svc:port" (port may be empty, as kubeseal sends for an unnamed port).
        var parts = route.Name!.Split(':');
        var (scheme, service, port) = parts.Length switch
        {
            1 => ("http", parts[0], ""),
            2 => ("http", parts[0], parts[1]),
            _ => (parts[0], parts[1], parts[2]),
        };
        lock (_store.Gate)
        {
            if (_store.Get(KubeResource.Services, route.Namespace!, service) is null)
            {
                throw KubeApiException.NotFound(KubeResource.Services, service);
            }
        }

        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? handler;
        lock (_proxies)
        {
            _proxies.TryGetValue((route.Namespace!, service), out handler);
        }

        if (handler is null)
        {
            throw new KubeApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{service}\"");
        }

        var authority = $"{service}.{route.Namespace}.svc" + (port.Length > 0 && port.All(char.IsAsciiDigit) ? ":" + port : "");
        using var forwarded = new HttpRequestMessage(new HttpMethod(context.Request.Method), $"{scheme}://{authority}/{route.ProxyPath}{context.Request.QueryString}");
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            forwarded.Content = new ByteArrayContent(buffer.ToArray());
            if (context.Request.ContentType is { } contentType)
            {
                forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        forwarded.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
        using var response = await handler(forwarded, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
