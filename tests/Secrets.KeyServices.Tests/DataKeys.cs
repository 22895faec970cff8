using System.Security.Cryptography;

namespace Secrets.KeyServices.Tests;

internal static class DataKeys
{
    /// <summary>A fresh 32-byte sops data key.</summary>
    public static byte[] New() => RandomNumberGenerator.GetBytes(32);

    /// <summary>created_at as sops writes it: RFC 3339, UTC, seconds.</summary>
    public const string CreatedAtPattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$";
}
