namespace Secrets.Age;

/// <summary>
/// Optional ability of an identity: the stanza type it owns, so a failed decrypt can say which kinds of keys were
/// tried for which stanzas (like age's NoIdentityMatchError).
/// </summary>
public interface IStanzaTypeOwner
{
    string StanzaType { get; }
}
