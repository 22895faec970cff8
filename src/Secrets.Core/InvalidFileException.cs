namespace Secrets.Core;

/// <summary>The input is malformed (header, armor, tree, value); the message names the line or path.</summary>
public class InvalidFileException(string message, Exception? innerException = null)
    : SecretsException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.InvalidFile;
}
