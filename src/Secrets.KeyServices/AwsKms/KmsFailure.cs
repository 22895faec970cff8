using System.Net.Sockets;
using Amazon.Runtime;
using Secrets.Core;

namespace Secrets.KeyServices.AwsKms;

/// <summary>Turns SDK failures into a <see cref="KeyProviderException"/> naming the key and the reason, never a value.</summary>
internal static class KmsFailure
{
    public const string Provider = "AWS KMS";

    public static KeyProviderException From(string keyId, string operation, Exception error) => error switch
    {
        AmazonServiceException { ErrorCode: "InvalidCiphertextException" } e => new KeyProviderException(Provider, keyId,
            $"{operation} refused (InvalidCiphertextException): the encryption context differs from the one used to encrypt, or the data key was wrapped by another key", e)
        { Hints = ["check the \"context\" of the key entry (--encryption-context when encrypting)"] },
        AmazonServiceException { ErrorCode: "AccessDeniedException" or "AccessDenied" } e => new KeyProviderException(Provider, keyId,
            $"{operation} denied (403 {e.ErrorCode}): the caller is not allowed to use this key", e)
        { Hints = ["check the key policy and the IAM identity in use (AWS_PROFILE, aws_profile, role)"] },
        AmazonServiceException { ErrorCode: "ThrottlingException" or "Throttling" or "TooManyRequestsException" } e => new KeyProviderException(Provider, keyId,
            $"{operation} throttled (429 {e.ErrorCode}) after the SDK's retries", e)
        { Hints = ["retry later, or raise AWS_MAX_ATTEMPTS"] },
        AmazonServiceException { ErrorCode: "NotFoundException" } e => new KeyProviderException(Provider, keyId, $"{operation} failed: the key does not exist (NotFoundException)", e),
        AmazonServiceException { ErrorCode: "DisabledException" } e => new KeyProviderException(Provider, keyId, $"{operation} failed: the key is disabled (DisabledException)", e),
        AmazonServiceException e => new KeyProviderException(Provider, keyId, $"{operation} failed ({(int)e.StatusCode} {e.ErrorCode})", e),
        _ when ConnectionFailure.IsRefused(error) => new KeyProviderException(Provider, keyId, $"{operation} failed: cannot reach the KMS endpoint (connection refused)", error)
        { Hints = ["check network access, AWS_ENDPOINT_URL_KMS and AWS_REGION"] },
        AmazonClientException e => new KeyProviderException(Provider, keyId, $"{operation} failed: {e.Message}", e)
        { Hints = ["configure AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, web identity) for this key"] },
        _ => new KeyProviderException(Provider, keyId, $"{operation} failed: {error.Message}", error),
    };

    /// <summary>Whether a failure is worth mapping (everything but cancellation and our own errors).</summary>
    public static bool IsServiceFailure(Exception error) => error is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException;
}
