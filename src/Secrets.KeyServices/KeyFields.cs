using Secrets.Core;
using Secrets.Core.Keys;

namespace Secrets.KeyServices;

/// <summary>Reading the scalar fields of a stored entry, with the error a malformed file deserves.</summary>
internal static class KeyFields
{
    public static string Required(MasterKeyEntry entry, string field) =>
        entry[field] is { Length: > 0 } value ? value : throw new InvalidFileException($"{entry.Type} key entry has no \"{field}\"");

    /// <summary>The wrapped data key of an entry, decoded; a malformed value is an <see cref="InvalidFileException"/>.</summary>
    public static byte[] Enc(MasterKeyEntry entry, Func<string, byte[]> decode)
    {
        var enc = Required(entry, "enc");
        try
        {
            return decode(enc);
        }
        catch (FormatException e)
        {
            throw new InvalidFileException($"{entry.Type} key entry has a malformed \"enc\"", e);
        }
    }

    public static SecretsException InvalidKey(string message, params string[] hints) =>
        new SecretsOperationException(ErrorKind.InvalidKey, message) { Hints = hints };
}
