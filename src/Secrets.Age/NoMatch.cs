using Secrets.Core;

namespace Secrets.Age;

/// <summary>Builds the "no identity matched" error with one attempt line per stanza type of the file.</summary>
internal static class NoMatch
{
    public static NoMatchingKeyException Describe(IReadOnlyList<Stanza> stanzas, IReadOnlyList<IIdentity> identities)
    {
        var attempts = new List<string>();
        foreach (var type in stanzas.Select(s => s.Type).Distinct(StringComparer.Ordinal))
        {
            var tried = identities.OfType<IStanzaTypeOwner>().Count(o => o.StanzaType == type);
            attempts.Add(tried switch
            {
                > 0 => $"{type}: none of the {tried} {type} identities unwrapped the file key",
                _ when type == "scrypt" => "scrypt: the file is passphrase-encrypted and no passphrase was given",
                _ => $"{type}: no {type} identity was given",
            });
        }

        var hints = stanzas.Any(s => s.Type == "scrypt")
            ? new[] { "the file is passphrase-encrypted: decrypt it with the passphrase it was encrypted with" }
            : ["use the identity (private key) the file was encrypted to, e.g. -i key.txt"];
        return new NoMatchingKeyException("no identity matched any of the file's recipients", attempts) { Hints = hints };
    }
}
