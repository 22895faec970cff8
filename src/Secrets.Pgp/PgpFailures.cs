using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Secrets.Pgp;

/// <summary>Which BouncyCastle exceptions mean "the input is malformed or unsupported" rather than a bug of ours.</summary>
internal static class PgpFailures
{
    public static bool IsMalformedInput(Exception ex) =>
        ex is PgpException or IOException or EndOfStreamException or ArgumentException or InvalidOperationException
            or NotSupportedException or NotImplementedException or FormatException or IndexOutOfRangeException
            or InvalidCastException or OverflowException or Org.BouncyCastle.Crypto.CryptoException;
}
