using System.Text;
using Secrets.Age;
using Secrets.Core;
using Secrets.Core.Keys;

namespace Secrets.Sops.Keys.Age;

/// <summary>
/// age master keys (sops.md §2.1): recipients <c>age1…</c>, <c>age1pq1…</c>, <c>ssh-ed25519</c>/<c>ssh-rsa</c>; data keys
/// unwrapped with the identities sops would load (<see cref="AgeIdentityLoader"/>), read only when first needed.
/// </summary>
public sealed class AgeKeySource : IMasterKeySource, IAnswersLocally
{
    public const string KeyType = "age";

    private readonly Lazy<IReadOnlyList<IIdentity>> _identities;

    public AgeKeySource(IReadOnlyList<IIdentity> identities)
        : this(() => identities)
    {
    }

    public AgeKeySource(Func<IReadOnlyList<IIdentity>> loadIdentities)
    {
        _identities = new Lazy<IReadOnlyList<IIdentity>>(loadIdentities, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Type => KeyType;

    public IMasterKey Parse(string value)
    {
        var text = value.Trim();
        try
        {
            return new AgeMasterKey(text, AgeRecipients.Parse(text));
        }
        catch (SecretsException ex) when (ex is not KeyProviderException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{text}\" is not an age recipient: {ex.Message}", ex)
            {
                Hints = ["an age recipient looks like age1… (see 'age-keygen -y KEYFILE'), or an ssh-ed25519/ssh-rsa public key"],
            };
        }
    }

    public IMasterKey FromEntry(MasterKeyEntry entry) =>
        Parse(entry["recipient"] ?? throw new InvalidFileException("age key entry has no recipient"));

    public ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (entry.Enc is not { Length: > 0 } enc)
        {
            throw new InvalidFileException($"age key {entry["recipient"]} has no enc");
        }

        var identities = _identities.Value;
        if (identities.Count == 0)
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        try
        {
            return ValueTask.FromResult<byte[]?>(AgeFile.Decrypt(Encoding.UTF8.GetBytes(enc), identities));
        }
        catch (NoMatchingKeyException)
        {
            return ValueTask.FromResult<byte[]?>(null);
        }
    }
}
