using System.Text;
using Secrets.Age;
using Secrets.Core.Keys;

namespace Secrets.Sops.Keys.Age;

/// <summary>One age recipient; <c>enc</c> is an armored age file to that recipient alone (sops.md §2.1, age row).</summary>
internal sealed record AgeMasterKey(string Recipient, IRecipient Parsed) : IMasterKey
{
    public string Type => AgeKeySource.KeyType;

    public string Id => Recipient;

    public ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var enc = Encoding.ASCII.GetString(AgeFile.Encrypt(dataKey.Span, [Parsed], armor: true));
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["enc"] = enc,
            ["recipient"] = Recipient,
        };
        return ValueTask.FromResult(new MasterKeyEntry(Type, fields));
    }
}
