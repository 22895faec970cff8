using Secrets.Core;

namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// A template failed to parse or execute. Messages follow Go's text/template shape
/// (<c>template: name:line:col: …</c>) and name keys or functions, never secret values.
/// </summary>
public sealed class TemplateException(string message, Exception? innerException = null)
    : SecretsException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.InvalidFile;
}

/// <summary>Raised by a template function; the executor wraps it as <c>error calling NAME: …</c>.</summary>
internal sealed class TemplateFunctionException(string message) : Exception(message);
