namespace Secrets.Core;

/// <summary>A MAC or an authentication tag did not verify.</summary>
public class IntegrityException(string message, Exception? innerException = null)
    : SecretsException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.Integrity;
}
