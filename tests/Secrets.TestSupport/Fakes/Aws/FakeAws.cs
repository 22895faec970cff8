using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>
/// One loopback server speaking AWS JSON 1.1 (<c>POST /</c>, <c>X-Amz-Target</c>) for KMS (<c>TrentService.*</c>) and SSM
/// Parameter Store (<c>AmazonSSM.*</c>), and the query protocol for STS <c>AssumeRole</c>, for the real AWSSDK clients pointed at it with <c>ServiceURL</c> or
/// <c>AWS_ENDPOINT_URL_KMS</c>/<c>_SSM</c> (test-infra.md §3). <c>await using var aws = await FakeAws.StartAsync();</c>
/// </summary>
public sealed partial class FakeAws : IAsyncDisposable
{
    private readonly FakeAwsOptions _options;
    private readonly List<AwsRequest> _requests = [];
    private readonly Lock _gate = new();
    private LoopbackServer? _server;

    private FakeAws(FakeAwsOptions options) => _options = options;

    /// <summary><c>http://127.0.0.1:PORT/</c>: the <c>ServiceURL</c> for both the KMS and the SSM client.</summary>
    public Uri BaseAddress => _server!.BaseAddress;

    public string Region => _options.Region;

    public string AccountId => _options.AccountId;

    /// <summary>Failures and delays to inject (e.g. <c>FailNext(1, AwsFault.Throttling, r =&gt; r.Operation == "Decrypt")</c>).</summary>
    public FaultRules<AwsRequest, AwsFault> Faults { get; } = new();

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<AwsRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeAws> StartAsync(FakeAwsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new FakeAws(options ?? new FakeAwsOptions());
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync, tls: null, cancellationToken);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        AwsRequest? request = null;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (context.Request.HasFormContentType)
        {
            await HandleQueryAsync(context);
            return;
        }

        try
        {
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            if (context.Request.Method != "POST" || target.Length == 0)
            {
                throw new AwsException("UnknownOperationException", "the fake speaks AWS JSON 1.1 only (POST / with X-Amz-Target)");
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            var body = (string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text) as JsonObject)
                ?? throw new AwsException("SerializationException", "the request body must be a JSON object");
            var (accessKey, region) = ParseAuthorization(context.Request.Headers.Authorization.ToString());
            request = new AwsRequest(target, accessKey, region, body);
            lock (_requests)
            {
                _requests.Add(request);
            }

            CheckCaller(request, context.Request.Headers["X-Amz-Security-Token"].ToString());
            var (fault, delay) = Faults.Take(request);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault is not null)
            {
                throw new AwsException(fault.Type, fault.Message, fault.StatusCode);
            }

            JsonObject response;
            lock (_gate)
            {
                response = target.StartsWith("TrentService.", StringComparison.Ordinal) ? Kms(request.Operation, body)
                    : target.StartsWith("AmazonSSM.", StringComparison.Ordinal) ? Ssm(request.Operation, body)
                    : throw new AwsException("UnknownOperationException", $"unknown target {target}");
            }

            await WriteAsync(context, 200, response);
        }
        catch (AwsException e)
        {
            request?.ErrorType = e.Type;
            context.Response.Headers["x-amzn-ErrorType"] = e.Type;
            await WriteAsync(context, e.StatusCode, new JsonObject { ["__type"] = e.Type, ["message"] = e.Message });
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            request?.ErrorType = "SerializationException";
            context.Response.Headers["x-amzn-ErrorType"] = "SerializationException";
            await WriteAsync(context, 400, new JsonObject { ["__type"] = "SerializationException", ["message"] = e.Message });
        }
        finally
        {
            request?.StatusCode = context.Response.StatusCode;
        }
    }

    private void CheckCaller(AwsRequest request, string sessionToken)
    {
        if (request.AccessKeyId is null)
        {
            throw new AwsException("MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }

        if (_options.AccessKeyId is { } expected && request.AccessKeyId != expected && !IsSessionKey(request.AccessKeyId))
        {
            throw new AwsException("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (_options.SessionToken is { } token && request.AccessKeyId == _options.AccessKeyId && sessionToken != token)
        {
            throw new AwsException("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
    }

    private static (string? AccessKey, string? Region) ParseAuthorization(string header)
    {
        var match = CredentialPattern().Match(header);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : (null, null);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(body.ToJsonString(FakeJson.Options), context.RequestAborted);
    }

    private static double EpochSeconds(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private static string RequiredString(JsonObject body, string field) =>
        body[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw AwsException.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(field[0])}{field[1..]}' failed to satisfy constraint: Member must not be null");

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")]
    private static partial Regex CredentialPattern();
}
