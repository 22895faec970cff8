namespace Secrets.Sealing.Tests;

internal static class TestSecrets
{
    public static SecretManifest Make(string name, string? ns, params (string Key, byte[] Value)[] items)
    {
        var secret = new SecretManifest { Type = "Opaque" };
        secret.Metadata.Name = name;
        secret.Metadata.Namespace = ns;
        foreach (var (key, value) in items)
        {
            secret.Data[key] = value;
        }

        return secret;
    }
}
