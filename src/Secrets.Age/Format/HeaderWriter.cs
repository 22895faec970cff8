using System.Text;

namespace Secrets.Age.Format;

/// <summary>Serialises a header (age.md §3): bodies in 64-column lines, always ending with a short (maybe empty) line.</summary>
internal static class HeaderWriter
{
    public static byte[] Write(IReadOnlyList<Stanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var text = new StringBuilder(HeaderReader.VersionLine).Append('\n');
        foreach (var stanza in stanzas)
        {
            text.Append("-> ").Append(stanza.Type);
            foreach (var arg in stanza.Args)
            {
                text.Append(' ').Append(arg);
            }

            text.Append('\n');
            var body = StrictBase64.Encode(stanza.Body);
            for (var i = 0; ; i += 64)
            {
                var length = Math.Min(64, body.Length - i);
                text.Append(body, i, length).Append('\n');
                if (length < 64)
                {
                    break;
                }
            }
        }

        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        var mac = HeaderMac.Compute(fileKey, macInput);
        return [.. macInput, .. Encoding.ASCII.GetBytes(" " + StrictBase64.Encode(mac) + "\n")];
    }
}
