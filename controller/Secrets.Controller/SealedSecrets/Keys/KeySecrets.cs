namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>Names from the Go controller's key storage (sealed-secrets.md §3.1), shared by the generator, loader and manifests.</summary>
public static class KeySecrets
{
    public const string Label = "sealedsecrets.bitnami.com/sealed-secrets-key";
    public const string Active = "active";
    public const string ActiveSelector = Label + "=" + Active;
    public const string TlsType = "kubernetes.io/tls";
    public const string Certificate = "tls.crt";
    public const string PrivateKey = "tls.key";
}
