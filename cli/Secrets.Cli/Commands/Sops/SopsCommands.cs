using System.CommandLine;

namespace Secrets.Cli.Commands.Sops;

/// <summary>The sops-compatible commands (sops.md §8, docs/sops.md): encrypt, decrypt, edit, set, unset, rotate, updatekeys, exec-env, exec-file, filestatus, verify.</summary>
internal static class SopsCommands
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        Encrypt(context), Decrypt(context), Edit(context), Set(context), Unset(context), Rotate(context), UpdateKeys(context),
        ExecEnv(context), ExecFile(context), FileStatus(context), Verify(context),
    ];

    private static Command Encrypt(CliContext context)
    {
        var o = new SopsOptions();
        var command = Build("encrypt", "Encrypt the values of a YAML, JSON, dotenv, INI or binary file (sops-compatible).\n\nExample:\n  secrets encrypt --age age1… secret.yaml > secret.enc.yaml\n  secrets encrypt -i --encrypted-regex '^(data|stringData)$' secret.yaml", o, [.. o.Common(), o.InPlace, o.Output, .. o.KeyFlags(), .. o.RuleFlags()]);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).EncryptAsync(ct));
        return command;
    }

    private static Command Decrypt(CliContext context)
    {
        var o = new SopsOptions();
        var command = Build("decrypt", "Decrypt a sops file.\n\nExample:\n  secrets decrypt secret.enc.yaml\n  secrets decrypt --extract '[\"data\"][\"password\"]' secret.enc.yaml", o, [.. o.Common(), o.InPlace, o.Output, o.IgnoreMac, o.DecryptionOrder, o.Extract, o.AwsProfile]);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).DecryptAsync(ct));
        return command;
    }

    private static Command Edit(CliContext context)
    {
        var o = new SopsOptions();
        var command = Build("edit", "Edit a sops file in $SOPS_EDITOR/$EDITOR; only changed values are re-encrypted with new IVs", o, [.. o.Common(), o.IgnoreMac, o.DecryptionOrder, .. o.KeyFlags(), .. o.RuleFlags()]);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).EditAsync(ct));
        return command;
    }

    private static Command Set(CliContext context)
    {
        var o = new SopsOptions();
        var path = new Argument<string>("path") { Description = "Tree path, e.g. '[\"a\"][\"b\"]'" };
        var value = new Argument<string?>("value") { Description = "JSON value, e.g. '\"text\"' or 42", Arity = ArgumentArity.ZeroOrOne };
        var valueFile = new Option<string?>("--value-file") { Description = "Read the JSON value from FILE", HelpName = "FILE" };
        var valueStdin = new Option<bool>("--value-stdin") { Description = "Read the JSON value from stdin" };
        var idempotent = new Option<bool>("--idempotent") { Description = "Do not rewrite the file when the value is unchanged" };
        var command = Build("set", "Set one value in a sops file in place", o, [.. o.Common(), o.DecryptionOrder, valueFile, valueStdin, idempotent]);
        command.Arguments.Add(path);
        command.Arguments.Add(value);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).SetAsync(result.GetValue(path)!, result.GetValue(value), result.GetValue(valueStdin), result.GetValue(valueFile), result.GetValue(idempotent), ct));
        return command;
    }

    private static Command Unset(CliContext context)
    {
        var o = new SopsOptions();
        var path = new Argument<string>("path") { Description = "Tree path, e.g. '[\"a\"][\"b\"]'" };
        var idempotent = new Option<bool>("--idempotent") { Description = "Succeed when the path does not exist" };
        var command = Build("unset", "Remove one value from a sops file in place", o, [.. o.Common(), o.DecryptionOrder, idempotent]);
        command.Arguments.Add(path);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).UnsetAsync(result.GetValue(path)!, result.GetValue(idempotent), ct));
        return command;
    }

    private static Command Rotate(CliContext context)
    {
        var o = new SopsOptions();
        var changes = new List<(string Type, Option<string[]> Add, Option<string[]> Remove)>();
        var flags = new List<Option>();
        foreach (var (type, flag) in new[] { ("age", "age"), ("pgp", "pgp"), ("kms", "kms"), ("azure_kv", "azure-kv"), ("hc_vault", "hc-vault-transit"), ("gcp_kms", "gcp-kms") })
        {
            var add = new Option<string[]>($"--add-{flag}") { Description = $"Add {type} keys (comma-separated) to the first key group", HelpName = "KEYS" };
            var remove = new Option<string[]>($"--rm-{flag}") { Description = $"Remove {type} keys (comma-separated)", HelpName = "KEYS" };
            changes.Add((type, add, remove));
            flags.Add(add);
            flags.Add(remove);
        }

        var command = Build(
            "rotate",
            "Re-encrypt every value with a new data key (and add or remove master keys). Several files or folders (files holding a sops marker) are rotated in place, --jobs at once.\n\nExample:\n  secrets rotate -i secret.enc.yaml\n  secrets rotate -i -j 16 --add-kms arn:aws:kms:… clusters/",
            o,
            [.. o.Common(), o.InPlace, o.Output, o.IgnoreMac, o.DecryptionOrder, o.AwsProfile, o.EncryptionContext, o.Jobs, .. flags],
            o.Files);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).RotateAsync(result.GetValue(o.Files) ?? [], result.GetValue(o.Jobs), changes, ct));
        return command;
    }

    private static Command UpdateKeys(CliContext context)
    {
        var o = new SopsOptions();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (this implementation never asks)" };
        var command = Build(
            "updatekeys",
            "Make files' master keys match their .sops.yaml creation rules; values and MAC are kept. Several files or folders (files holding a sops marker) are updated --jobs at once.\n\nExample:\n  secrets updatekeys -y secret.enc.yaml\n  secrets updatekeys -y -j 16 clusters/ apps/",
            o,
            [.. o.Common(), o.DecryptionOrder, o.ShamirThreshold, o.AwsProfile, o.Jobs, yes],
            o.Files);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).UpdateKeysAsync(result.GetValue(o.Files) ?? [], result.GetValue(o.Jobs), ct));
        return command;
    }

    private static Command ExecEnv(CliContext context)
    {
        var o = new SopsOptions();
        var cmd = new Argument<string>("command") { Description = "Shell command run with the decrypted values in its environment" };
        var pristine = new Option<bool>("--pristine") { Description = "Do not inherit the current environment" };
        var command = Build("exec-env", "Run a command with the file's top-level values as environment variables", o, [.. o.Common(), o.DecryptionOrder, pristine]);
        command.Arguments.Add(cmd);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).ExecEnvAsync(result.GetValue(cmd)!, result.GetValue(pristine), ct));
        return command;
    }

    private static Command ExecFile(CliContext context)
    {
        var o = new SopsOptions();
        var cmd = new Argument<string>("command") { Description = "Shell command; {} is replaced by the path of the decrypted temp file" };
        var fileName = new Option<string?>("--filename") { Description = "Name of the temp file (default tmp-file)", HelpName = "NAME" };
        var noFifo = new Option<bool>("--no-fifo") { Description = "Accepted for sops compatibility: the plaintext always goes to a 0600 temp file" };
        var command = Build("exec-file", "Run a command with the decrypted file in a private temp file", o, [.. o.Common(), o.DecryptionOrder, fileName, noFifo]);
        command.Arguments.Add(cmd);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).ExecFileAsync(result.GetValue(cmd)!, result.GetValue(fileName), ct));
        return command;
    }

    private static Command FileStatus(CliContext context)
    {
        var o = new SopsOptions();
        var command = Build("filestatus", "Print {\"encrypted\":true|false} for a file", o, [.. o.Common()]);
        command.SetAction((result, ct) => new SopsRunner(context, result, o).FileStatusAsync(ct));
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var o = new SopsOptions();
        var command = new Command("verify", "Check that sops files decrypt with the available keys and their MACs match; prints no values, exits non-zero if any fails.\n\nExample:\n  secrets verify clusters/ secrets.enc.yaml\n  SOPS_AGE_KEY_FILE=key.txt secrets verify -j 16 .");
        o.Files.Arity = ArgumentArity.OneOrMore;
        command.Arguments.Add(o.Files);
        foreach (var option in new Option[] { o.Config, o.InputType, o.DecryptionOrder, o.AwsProfile, o.Jobs })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) => new SopsRunner(context, result, o).VerifyAsync(result.GetValue(o.Files) ?? [], result.GetValue(o.Jobs), ct));
        return command;
    }

    private static Command Build(string name, string description, SopsOptions o, IEnumerable<Option> options, Argument? files = null)
    {
        var command = new Command(name, description);
        command.Arguments.Add(files ?? o.File);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }
}
