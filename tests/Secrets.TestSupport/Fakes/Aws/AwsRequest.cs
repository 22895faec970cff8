using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>One AWS JSON 1.1 call as the fake saw it: <c>X-Amz-Target</c> (e.g. <c>TrentService.Decrypt</c>), signer and body.</summary>
public sealed record AwsRequest(string Target, string? AccessKeyId, string? SigningRegion, JsonObject Body)
{
    /// <summary>The operation without the service prefix, e.g. <c>Decrypt</c>, <c>GetParametersByPath</c>.</summary>
    public string Operation => Target[(Target.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The HTTP status the fake answered with.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The AWS error type answered (<c>__type</c>), if any.</summary>
    public string? ErrorType { get; internal set; }
}
