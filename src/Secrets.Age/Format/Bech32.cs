using System.Text;

namespace Secrets.Age.Format;

/// <summary>
/// Bech32 as age uses it (age.md §2): the BIP 173 checksum (constant 1, not Bech32m), no 90-character limit (hybrid
/// recipients are ~1960 characters), all-lower or all-upper, the separator is the last <c>1</c>.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Encodes <paramref name="data"/>; the case of <paramref name="hrp"/> decides the case of the output.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        var upper = hrp.Length > 0 && hrp.Any(char.IsUpper);
        var lowerHrp = hrp.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true) ?? throw new InvalidOperationException("unreachable: padding is allowed");
        var checksumInput = new List<byte>(ExpandHrp(lowerHrp));
        checksumInput.AddRange(values);
        checksumInput.AddRange(new byte[6]);
        var polymod = Polymod(checksumInput) ^ 1;

        var text = new StringBuilder(lowerHrp.Length + 1 + values.Length + 6).Append(lowerHrp).Append('1');
        foreach (var v in values)
        {
            text.Append(Charset[v]);
        }

        for (var i = 0; i < 6; i++)
        {
            text.Append(Charset[(int)((polymod >> (5 * (5 - i))) & 31)]);
        }

        var result = text.ToString();
        return upper ? result.ToUpperInvariant() : result;
    }

    /// <summary>
    /// Decodes a Bech32 string. The returned HRP keeps the case of the input, so callers can compare it
    /// case-sensitively as age does (recipients lowercase, identities uppercase).
    /// </summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data)
    {
        hrp = "";
        data = [];
        if (text.Any(c => c is < (char)33 or > (char)126))
        {
            return false;
        }

        var hasLower = text.Any(char.IsLower);
        var hasUpper = text.Any(char.IsUpper);
        if (hasLower && hasUpper)
        {
            return false;
        }

        var separator = text.LastIndexOf('1');
        if (separator < 1 || separator + 7 > text.Length)
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        var values = new byte[text.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(lower[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0)
            {
                return false;
            }

            values[i] = (byte)index;
        }

        var checksumInput = new List<byte>(ExpandHrp(lower[..separator]));
        checksumInput.AddRange(values);
        if (Polymod(checksumInput) != 1)
        {
            return false;
        }

        var decoded = ConvertBits(values.AsSpan(0, values.Length - 6), 5, 8, pad: false);
        if (decoded is null)
        {
            return false;
        }

        hrp = text[..separator];
        data = decoded;
        return true;
    }

    private static byte[] ExpandHrp(string hrp)
    {
        var result = new byte[(hrp.Length * 2) + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }

        return result;
    }

    private static uint Polymod(List<byte> values)
    {
        uint checksum = 1;
        foreach (var v in values)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    checksum ^= Generator[i];
                }
            }
        }

        return checksum;
    }

    // BIP 173 convertbits: the decoder rejects more than 4 padding bits or non-zero padding (age.md §2).
    private static byte[]? ConvertBits(ReadOnlySpan<byte> values, int from, int to, bool pad)
    {
        var result = new List<byte>((values.Length * from / to) + 1);
        int accumulator = 0, bits = 0, max = (1 << to) - 1;
        foreach (var v in values)
        {
            accumulator = ((accumulator << from) | v) & 0xfffff;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((accumulator >> bits) & max));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((accumulator << (to - bits)) & max));
            }
        }
        else if (bits >= from || ((accumulator << (to - bits)) & max) != 0)
        {
            return null;
        }

        return [.. result];
    }
}
