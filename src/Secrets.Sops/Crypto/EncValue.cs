using System.Text.RegularExpressions;
using Secrets.Core;

namespace Secrets.Sops.Crypto;

/// <summary>The <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c> text form (sops.md §1).</summary>
public sealed partial record EncValue(byte[] Data, byte[] Iv, byte[] Tag, string Type)
{
    public static bool LooksEncrypted(string text) => text.StartsWith("ENC[AES256_GCM,", StringComparison.Ordinal);

    /// <summary>Parses with sops' own (greedy, end-unanchored) pattern; anything else is malformed.</summary>
    public static EncValue Parse(string text, string path)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new InvalidFileException($"value at \"{path}\" is not a valid ENC[AES256_GCM,…] value")
            {
                Hints = ["the file was edited by hand or truncated; restore it from version control"],
            };
        }

        try
        {
            return new EncValue(
                Convert.FromBase64String(match.Groups[1].Value),
                Convert.FromBase64String(match.Groups[2].Value),
                Convert.FromBase64String(match.Groups[3].Value),
                match.Groups[4].Value);
        }
        catch (FormatException ex)
        {
            throw new InvalidFileException($"value at \"{path}\" has invalid base64 in its ENC[…] fields", ex);
        }
    }

    public override string ToString() =>
        $"ENC[AES256_GCM,data:{Convert.ToBase64String(Data)},iv:{Convert.ToBase64String(Iv)},tag:{Convert.ToBase64String(Tag)},type:{Type}]";

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
