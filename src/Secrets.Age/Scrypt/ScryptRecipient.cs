using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Age.Scrypt;

namespace Secrets.Age;

/// <summary>
/// Passphrase encryption (age.md §5). Its stanza must be the only one in a file, so it carries a unique random label
/// and cannot be combined with any other recipient.
/// </summary>
public sealed class ScryptRecipient : IRecipient, ILabeledRecipient
{
    /// <summary>age's default work factor (log2 N): 256 MiB and about a second.</summary>
    public const int DefaultWorkFactor = 18;

    private readonly string _passphrase;
    private readonly int _workFactor;

    public ScryptRecipient(string passphrase, int workFactor = DefaultWorkFactor)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        ArgumentOutOfRangeException.ThrowIfLessThan(workFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workFactor, ScryptIdentity.MaxWorkFactorLimit);
        _passphrase = passphrase;
        _workFactor = workFactor;
        Labels = new HashSet<string>([Convert.ToHexString(RandomNumberGenerator.GetBytes(16))]);
    }

    public IReadOnlySet<string> Labels { get; }

    public IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey)
    {
        var salt = RandomNumberGenerator.GetBytes(ScryptWrapKey.SaltSize);
        var wrapKey = ScryptWrapKey.Derive(_passphrase, salt, _workFactor);
        try
        {
            var body = FileKeyWrap.Seal(wrapKey, fileKey);
            return [new Stanza(ScryptWrapKey.StanzaType, [StrictBase64.Encode(salt), _workFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)], body)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    public override string ToString() => "scrypt recipient";
}
