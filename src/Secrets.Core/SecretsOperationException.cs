namespace Secrets.Core;

/// <summary>An error with an explicit kind, for conditions that have no dedicated exception type.</summary>
public class SecretsOperationException(ErrorKind kind, string message, Exception? innerException = null)
    : SecretsException(message, innerException)
{
    public override ErrorKind Kind { get; } = kind;
}
