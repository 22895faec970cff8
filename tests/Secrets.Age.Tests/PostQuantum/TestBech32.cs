using System.Text;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>
/// A minimal test-side Bech32 (BIP 173, without the 90-character limit, as age uses it) to read the testkit's
/// <c>AGE-SECRET-KEY-PQ-1…</c> identities and typage's <c>age1pq1…</c> recipients independently of the library.
/// </summary>
internal static class TestBech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public static (string Hrp, byte[] Data) Decode(string text)
    {
        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || lower.Length - separator < 7)
        {
            throw new FormatException("not bech32");
        }

        var hrp = lower[..separator];
        var values = lower[(separator + 1)..].Select(c => Charset.IndexOf(c, StringComparison.Ordinal)).ToArray();
        if (values.Any(v => v < 0))
        {
            throw new FormatException("bad bech32 character");
        }

        if (Polymod([.. ExpandHrp(hrp), .. values]) != 1)
        {
            throw new FormatException("bad bech32 checksum");
        }

        return (hrp, ConvertBits(values[..^6], 5, 8, pad: false));
    }

    public static string Encode(string hrp, byte[] data)
    {
        var values = ConvertBits(data.Select(b => (int)b).ToArray(), 8, 5, pad: true).Select(b => (int)b).ToArray();
        var polymod = Polymod([.. ExpandHrp(hrp.ToLowerInvariant()), .. values, 0, 0, 0, 0, 0, 0]) ^ 1;
        var text = new StringBuilder(hrp.ToLowerInvariant()).Append('1');
        foreach (var v in values)
        {
            text.Append(Charset[v]);
        }

        for (var i = 0; i < 6; i++)
        {
            text.Append(Charset[(int)((polymod >> (5 * (5 - i))) & 31)]);
        }

        return text.ToString();
    }

    private static int[] ExpandHrp(string hrp) =>
        [.. hrp.Select(c => c >> 5), 0, .. hrp.Select(c => c & 31)];

    private static uint Polymod(int[] values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint checksum = 1;
        foreach (var v in values)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ (uint)v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    checksum ^= generator[i];
                }
            }
        }

        return checksum;
    }

    private static byte[] ConvertBits(int[] values, int from, int to, bool pad)
    {
        var result = new List<byte>();
        int accumulator = 0, bits = 0, max = (1 << to) - 1;
        foreach (var v in values)
        {
            accumulator = (accumulator << from) | v;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((accumulator >> bits) & max));
            }
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((accumulator << (to - bits)) & max));
        }
        else if (!pad && (bits >= from || ((accumulator << (to - bits)) & max) != 0))
        {
            throw new FormatException("bad bech32 padding");
        }

        return [.. result];
    }
}
