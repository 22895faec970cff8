namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>How a <see cref="FakeAws"/> identifies itself and which callers it accepts.</summary>
public sealed record FakeAwsOptions
{
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "111122223333";

    /// <summary>When set, a SigV4 Authorization header with another access key id is refused (<c>UnrecognizedClientException</c>).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>When set, a request signed with <see cref="AccessKeyId"/> must carry this <c>X-Amz-Security-Token</c>.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Clock for LastModifiedDate/CreationDate.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
