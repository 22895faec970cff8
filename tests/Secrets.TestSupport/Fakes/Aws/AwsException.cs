namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>A refused call; written as the AWS JSON error shape (<c>__type</c>, <c>message</c>, <c>x-amzn-ErrorType</c>).</summary>
internal sealed class AwsException(string type, string message, int statusCode = 400) : Exception(message)
{
    public string Type { get; } = type;

    public int StatusCode { get; } = statusCode;

    public static AwsException Validation(string message) => new("ValidationException", message);
}
