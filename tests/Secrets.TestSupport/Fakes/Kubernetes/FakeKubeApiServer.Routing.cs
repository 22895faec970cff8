using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>Request entry: authentication, path parsing into RBAC terms, faults, the request log and dispatch.</summary>
public sealed partial class FakeKubeApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        KubeRequest? request = null;
        try
        {
            if (!Authenticated(context.Request))
            {
                await WriteJsonAsync(context, 401, KubeApiException.Status(401, "Unauthorized", "Unauthorized"));
                return;
            }

            var route = Route.Parse(context.Request);
            request = route.ToRequest(context.Request);
            lock (_requests)
            {
                _requests.Add(request);
            }

            var (fault, delay) = Faults.Take(request);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault is not null)
            {
                await InjectAsync(context, fault);
                return;
            }

            await DispatchAsync(context, route, request);
        }
        catch (KubeApiException e)
        {
            await WriteJsonAsync(context, e.Code, e.ToStatus());
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException { Source: "System.Text.Json" })
        {
            await WriteJsonAsync(context, 400, KubeApiException.Status(400, "BadRequest", "the request body is not valid: " + e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _server!.Stopping.IsCancellationRequested)
        {
            // The client went away (or the fake is stopping); nothing to answer.
        }
        finally
        {
            request?.StatusCode = context.Response.StatusCode;
        }
    }

    private bool Authenticated(HttpRequest request)
    {
        if (_options.BearerToken is null)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header["Bearer ".Length..].Trim() == _options.BearerToken;
    }

    private async Task InjectAsync(HttpContext context, KubeFault fault)
    {
        switch (fault.Kind)
        {
            case KubeFaultKind.DropConnection:
                context.Abort();
                break;
            case KubeFaultKind.Hang:
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _server!.Stopping))
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                context.Abort();
                break;
            default:
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                await WriteJsonAsync(context, fault.Code, KubeApiException.Status(fault.Code, fault.Reason, $"injected fault: {fault.Reason}"));
                break;
        }
    }

    private async Task DispatchAsync(HttpContext context, Route route, KubeRequest request)
    {
        if (route.Resource is null)
        {
            await WriteJsonAsync(context, 200, Discover(route));
            return;
        }

        var resource = _catalog.Find(route.Group, route.Version, route.Resource)
            ?? throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
        if (resource.Namespaced != (route.Namespace is not null) && !(route.Namespace is null && route.Name is null && request.Verb is "list" or "watch"))
        {
            throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
        }

        if (route.Subresource == "proxy" && resource == KubeResource.Services)
        {
            await ProxyAsync(context, route);
            return;
        }

        if (route.Subresource is not null && (route.Subresource != "status" || !resource.HasStatus))
        {
            throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
        }

        var query = context.Request.Query;
        var dryRun = query["dryRun"].Count > 0;
        switch (request.Verb)
        {
            case "watch":
                await WatchAsync(context, resource, route.Namespace, query);
                break;
            case "list":
                await WriteJsonAsync(context, 200, ListObjects(resource, route.Namespace, query));
                break;
            case "get":
                await WriteJsonAsync(context, 200, GetObject(resource, route.Namespace, route.Name!));
                break;
            case "create":
                var created = await ReadObjectAsync(context);
                await WriteJsonAsync(context, 201, Locked(() => Create(resource, route.Namespace, created, dryRun)));
                break;
            case "update":
                var replacement = await ReadObjectAsync(context);
                await WriteJsonAsync(context, 200, Locked(() => Replace(resource, route, replacement, dryRun)));
                break;
            case "patch":
                var patch = await ReadBodyAsync(context);
                var (code, patched) = Locked(() => Patch(resource, route, context.Request.ContentType ?? "", patch, query, dryRun));
                await WriteJsonAsync(context, code, patched);
                break;
            case "delete":
                var options = context.Request.ContentLength is > 0 ? await ReadObjectAsync(context) : null;
                await WriteJsonAsync(context, 200, Locked(() => DeleteRequest(resource, route, options, query, dryRun)));
                break;
            case "deletecollection":
                await WriteJsonAsync(context, 200, Locked(() => DeleteCollection(resource, route.Namespace, query)));
                break;
            default:
                throw KubeApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_store.Gate)
        {
            return action();
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        if (contentType.Contains("protobuf", StringComparison.OrdinalIgnoreCase))
        {
            // No protobuf decoding: a 415 makes client-go (kubectl) fall back to JSON, as it does for CRDs.
            throw new KubeApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw KubeApiException.BadRequest("the request body is empty");
        }

        return (context.Request.ContentType ?? "").Contains("yaml", StringComparison.OrdinalIgnoreCase)
            ? YamlJson.Parse(text)
            : JsonNode.Parse(text);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadBodyAsync(context) as JsonObject ?? throw KubeApiException.BadRequest("the request body must be a JSON object");

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(FakeJson.Options));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
