using Secrets.Age;

namespace Secrets.Cli.Commands.Age;

/// <summary>
/// Asks for a passphrase only when the file turns out to be passphrase-encrypted (age's lazy scrypt identity), so
/// <c>secrets age decrypt file.age</c> works without flags and key files never trigger a prompt.
/// </summary>
internal sealed class TerminalPassphraseIdentity(CliContext context, string prompt = "Enter passphrase: ") : IIdentity, IStanzaTypeOwner
{
    public string StanzaType => "scrypt";

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        if (!stanzas.Any(s => s.Type == StanzaType))
        {
            return null;
        }

        var passphrase = AgeIo.ReadPassphrase(context, prompt);
        return new ScryptIdentity(passphrase).Unwrap(stanzas);
    }
}
