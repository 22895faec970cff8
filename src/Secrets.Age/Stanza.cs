namespace Secrets.Age;

/// <summary>
/// One recipient stanza of an age header (age.md §3): <c>-&gt; TYPE ARG…</c> and a body. <see cref="Args"/> excludes
/// the type. Unknown types are kept and ignored by identities that do not own them.
/// </summary>
public sealed record Stanza(string Type, IReadOnlyList<string> Args, byte[] Body);
