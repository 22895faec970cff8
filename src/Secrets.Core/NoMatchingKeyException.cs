namespace Secrets.Core;

/// <summary>
/// None of the supplied keys or identities could recover the file key. Like age's NoIdentityMatchError it keeps
/// what was tried and why each attempt failed, so the user can see which key to add.
/// </summary>
public class NoMatchingKeyException(string message, IReadOnlyList<string> attempts, Exception? innerException = null)
    : SecretsException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.NoMatchingKey;

    /// <summary>One line per key or stanza type tried, with the reason it did not match (never key material).</summary>
    public IReadOnlyList<string> Attempts { get; } = attempts;
}
