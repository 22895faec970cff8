using Secrets.Core.Keys;
using Secrets.Pgp;

namespace Secrets.Sops.Keys.Pgp;

/// <summary>One PGP key by fingerprint; <c>enc</c> is sops' armored PGP MESSAGE without trailing newline.</summary>
internal sealed record PgpMasterKey(PgpKeyring Keyring, string Fingerprint, string CreatedAt) : IMasterKey
{
    public string Type => PgpKeySource.KeyType;

    public string Id => Fingerprint;

    public ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var enc = Keyring.EncryptDataKey(Fingerprint, dataKey.Span);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["created_at"] = CreatedAt,
            ["enc"] = enc,
            ["fp"] = Fingerprint,
        };
        return ValueTask.FromResult(new MasterKeyEntry(Type, fields));
    }
}
