namespace Secrets.Age;

/// <summary>Something a file key can be encrypted to: returns the stanza(s) that carry it (age.md §1).</summary>
public interface IRecipient
{
    IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey);
}
