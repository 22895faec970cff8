using Secrets.Age.Format;
using Secrets.Age.PostQuantum;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// The post-quantum hybrid recipient <c>age1pq1…</c> (age.md §10) over <see cref="MlKem768X25519"/>. It carries the
/// <c>postquantum</c> label, so it cannot be mixed with classic recipients, whose stanzas would undo its protection.
/// </summary>
public sealed class MlKem768X25519Recipient : IRecipient, ILabeledRecipient
{
    internal const string Hrp = "age1pq";

    private static readonly HashSet<string> PostQuantumLabels = ["postquantum"];

    private readonly byte[] _publicKey;

    internal MlKem768X25519Recipient(byte[] publicKey)
    {
        _publicKey = publicKey;
    }

    public IReadOnlySet<string> Labels => PostQuantumLabels;

    /// <summary>Parses <c>age1pq1…</c> (lowercase Bech32, 1216-byte payload).</summary>
    public static MlKem768X25519Recipient Parse(string text)
    {
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != Hrp || data.Length != MlKem768X25519.EncapsulationKeySize)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid post-quantum recipient (expected age1pq1…)");
        }

        return new MlKem768X25519Recipient(data);
    }

    public IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey)
    {
        var (enc, body) = MlKem768X25519.Wrap(_publicKey, fileKey);
        return [new Stanza(MlKem768X25519.StanzaType, [StrictBase64.Encode(enc)], body)];
    }

    public override string ToString() => Bech32.Encode(Hrp, _publicKey);
}
