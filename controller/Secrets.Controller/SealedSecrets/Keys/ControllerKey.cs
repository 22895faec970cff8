namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>One key Secret as loaded: which Secret, the public certificate, and the time that orders keys (cert NotBefore, §3.3 step 2).</summary>
public sealed record ControllerKey(string SecretName, string Fingerprint, string CertificatePem, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
