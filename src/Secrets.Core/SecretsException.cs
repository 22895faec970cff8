namespace Secrets.Core;

/// <summary>
/// Root of the library's exceptions. Messages are lowercase, without a trailing period, quote user input
/// and never contain key material or plaintext (aesthetics.md §6 "Errors").
/// </summary>
public abstract class SecretsException : Exception
{
    protected SecretsException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>What kind of failure this is; decides the CLI exit code.</summary>
    public abstract ErrorKind Kind { get; }

    /// <summary>Hints for the user on how to fix the problem, printed as <c>hint: …</c> lines.</summary>
    public IReadOnlyList<string> Hints { get; init; } = [];
}
