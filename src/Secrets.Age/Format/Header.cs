namespace Secrets.Age.Format;

/// <summary>A parsed age header: the stanzas, the MAC, and the exact bytes the MAC covers (age.md §3).</summary>
internal sealed record Header(IReadOnlyList<Stanza> Stanzas, byte[] Mac, byte[] MacInput);
