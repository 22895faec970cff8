using System.CommandLine;

namespace Secrets.Cli.Commands.Sops;

/// <summary>sops' flags (sops.md §8), created once per command so each command lists only what it accepts.</summary>
internal sealed class SopsOptions
{
    public Argument<string?> File { get; } = new("file") { Description = "The file (stdin when omitted; then --filename-override is required)", Arity = ArgumentArity.ZeroOrOne };

    /// <summary>The files and folders of a multi-file command (verify, rotate, updatekeys).</summary>
    public Argument<string[]> Files { get; } = new("files") { Description = "sops files, or folders searched for files holding a sops marker", Arity = ArgumentArity.ZeroOrMore };

    public Option<int> Jobs { get; } = new("--jobs", "-j") { Description = "Files worked on at once (default 8)", HelpName = "N", DefaultValueFactory = _ => 8 };

    public Option<string?> Config { get; } = new("--config") { Description = "Path to .sops.yaml (env SOPS_CONFIG; default: searched from the current folder upwards)", HelpName = "FILE" };

    public Option<int?> Indent { get; } = new("--indent") { Description = "Indentation of YAML (2-9, default 4) and JSON (default TAB) output", HelpName = "N" };

    public Option<string?> InputType { get; } = Format("--input-type", "Format of the input (default: by extension; unknown extensions are binary)");

    public Option<string?> OutputType { get; } = Format("--output-type", "Format of the output (default: the input format)");

    public Option<string?> FilenameOverride { get; } = new("--filename-override") { Description = "Use this path for format detection and .sops.yaml rules (needed with stdin)", HelpName = "PATH" };

    public Option<bool> InPlace { get; } = new("--in-place", "-i") { Description = "Write the result back to the file" };

    public Option<string?> Output { get; } = new("--output") { Description = "Write the result to FILE atomically instead of stdout", HelpName = "FILE" };

    public Option<bool> IgnoreMac { get; } = new("--ignore-mac") { Description = "Do not verify the MAC (values must still decrypt)" };

    public Option<string?> DecryptionOrder { get; } = new("--decryption-order") { Description = "Key types to try first, comma-separated (env SOPS_DECRYPTION_ORDER; default age,pgp)", HelpName = "TYPES" };

    public Option<string?> Extract { get; } = new("--extract") { Description = "Print only the value at a tree path such as '[\"a\"][\"b\"][0]'", HelpName = "PATH" };

    public Option<string[]> Age { get; } = Keys("--age", "-a", "age recipients (env SOPS_AGE_RECIPIENTS)");

    public Option<string[]> Pgp { get; } = Keys("--pgp", "-p", "PGP fingerprints (env SOPS_PGP_FP)");

    public Option<string[]> Kms { get; } = Keys("--kms", "-k", "AWS KMS key ARNs, ARN+ROLE_ARN for a role (env SOPS_KMS_ARN)");

    public Option<string[]> AzureKv { get; } = Keys("--azure-kv", null, "Azure Key Vault key URLs (env SOPS_AZURE_KEYVAULT_URLS)");

    public Option<string[]> HcVault { get; } = Keys("--hc-vault-transit", null, "Vault transit key URIs (env SOPS_VAULT_URIS)");

    public Option<string[]> GcpKms { get; } = Keys("--gcp-kms", null, "GCP KMS resource ids (env SOPS_GCP_KMS_IDS)");

    public Option<string?> AwsProfile { get; } = new("--aws-profile") { Description = "AWS profile for KMS keys", HelpName = "NAME" };

    public Option<string?> EncryptionContext { get; } = new("--encryption-context") { Description = "KMS encryption context, k:v,k2:v2", HelpName = "CONTEXT" };

    public Option<string?> UnencryptedSuffix { get; } = Rule("--unencrypted-suffix", "Leave keys ending in SUFFIX in clear (default _unencrypted)");

    public Option<string?> EncryptedSuffix { get; } = Rule("--encrypted-suffix", "Encrypt only keys ending in SUFFIX");

    public Option<string?> UnencryptedRegex { get; } = Rule("--unencrypted-regex", "Leave keys matching REGEX in clear");

    public Option<string?> EncryptedRegex { get; } = Rule("--encrypted-regex", "Encrypt only keys matching REGEX, e.g. ^(data|stringData)$");

    public Option<string?> UnencryptedCommentRegex { get; } = Rule("--unencrypted-comment-regex", "Leave values after a comment matching REGEX in clear");

    public Option<string?> EncryptedCommentRegex { get; } = Rule("--encrypted-comment-regex", "Encrypt only values after a comment matching REGEX");

    public Option<bool> MacOnlyEncrypted { get; } = new("--mac-only-encrypted") { Description = "Compute the MAC over encrypted values only" };

    public Option<int?> ShamirThreshold { get; } = new("--shamir-secret-sharing-threshold") { Description = "Key groups needed to decrypt (default: all)", HelpName = "N" };

    public IEnumerable<Option> Common() => [Config, Indent, InputType, OutputType, FilenameOverride];

    public IEnumerable<Option> KeyFlags() => [Age, Pgp, Kms, AzureKv, HcVault, GcpKms, AwsProfile, EncryptionContext];

    public IEnumerable<Option> RuleFlags() =>
        [UnencryptedSuffix, EncryptedSuffix, UnencryptedRegex, EncryptedRegex, UnencryptedCommentRegex, EncryptedCommentRegex, MacOnlyEncrypted, ShamirThreshold];

    /// <summary>The CLI key flags by metadata type, with the environment variable sops reads as their default.</summary>
    public IEnumerable<(string Type, Option<string[]> Option, string Env)> KeyFlagsByType() =>
    [
        ("age", Age, "SOPS_AGE_RECIPIENTS"), ("pgp", Pgp, "SOPS_PGP_FP"), ("kms", Kms, "SOPS_KMS_ARN"),
        ("azure_kv", AzureKv, "SOPS_AZURE_KEYVAULT_URLS"), ("hc_vault", HcVault, "SOPS_VAULT_URIS"), ("gcp_kms", GcpKms, "SOPS_GCP_KMS_IDS"),
    ];

    private static Option<string?> Format(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "yaml|json|dotenv|ini|binary" };
        option.AcceptOnlyFromAmong("yaml", "json", "dotenv", "ini", "binary");
        return option;
    }

    private static Option<string[]> Keys(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<string[]>(name) : new Option<string[]>(name, alias);
        option.Description = $"Comma-separated {description}";
        option.HelpName = "KEYS";
        return option;
    }

    private static Option<string?> Rule(string name, string description) => new(name) { Description = description, HelpName = "VALUE" };
}
