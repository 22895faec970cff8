namespace Secrets.Age;

/// <summary>
/// Something that can recover a file key from a header's stanzas. Returns null when none of the stanzas is addressed
/// to it (the expected "not mine"); throws <see cref="Secrets.Core.InvalidFileException"/> when a stanza of its own
/// type is malformed (age.md §4: abort the whole decrypt, even if a later stanza would match).
/// </summary>
public interface IIdentity
{
    byte[]? Unwrap(IReadOnlyList<Stanza> stanzas);
}
