using System.CommandLine;

namespace Secrets.Cli.Commands.Seal;

/// <summary><c>secrets seal</c>: kubeseal's command line (sealed-secrets.md §4.3, docs/sealing.md).</summary>
internal static class SealCommand
{
    public static Option<string?> FormatOption()
    {
        var format = new Option<string?>("--format", "-o") { Description = "Output format: json (default, like kubeseal) or yaml", HelpName = "json|yaml" };
        format.AcceptOnlyFromAmong("json", "yaml");
        return format;
    }

    public static Command Create(CliContext context)
    {
        var input = new Option<string?>("--secret-file", "-f") { Description = "Secret(s) to seal, YAML or JSON, several documents allowed; default stdin", HelpName = "FILE" };
        var output = new Option<string?>("--sealed-secret-file", "-w") { Description = "Write the result to FILE atomically (.yaml/.yml implies -o yaml)", HelpName = "FILE" };
        var format = FormatOption();
        var cert = new Option<string?>("--cert") { Description = "Certificate or public key to seal with: file, http(s):// or file:// URL (env SEALED_SECRETS_CERT); default: fetch from the controller", HelpName = "FILE|URL" };
        var scope = new Option<string?>("--scope") { Description = "strict (default: bound to namespace and name), namespace-wide or cluster-wide", HelpName = "SCOPE" };
        scope.AcceptOnlyFromAmong("strict", "namespace-wide", "cluster-wide");
        var name = new Option<string?>("--name") { Description = "Name of the SealedSecret (overrides the input; required with --raw in strict scope)", HelpName = "NAME" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace for inputs without one (must match inputs that have one); default: kubeconfig context", HelpName = "NS" };
        var raw = new Option<bool>("--raw") { Description = "Seal one raw value (from --from-file or stdin) and print only its base64" };
        var fromFile = new Option<string?>("--from-file") { Description = "With --raw: the value's file, as [name=]path (bytes verbatim, no newline stripping)", HelpName = "[NAME=]PATH" };
        var mergeInto = new Option<string?>("--merge-into") { Description = "Seal the input Secret's items into an existing SealedSecret FILE, rewritten in place", HelpName = "FILE" };
        var reEncrypt = new Option<bool>("--re-encrypt") { Description = "Re-seal SealedSecret(s) with the controller's newest key (through /v1/rotate)" };
        var validate = new Option<bool>("--validate") { Description = "Ask the controller whether it can decrypt the SealedSecret(s) (through /v1/verify)" };
        var fetchCert = new Option<bool>("--fetch-cert") { Description = "Print the controller's certificate (or the --cert source) and exit" };
        var controllerName = new Option<string?>("--controller-name") { Description = "Service name of the controller (env SEALED_SECRETS_CONTROLLER_NAME; default sealed-secrets-controller)", HelpName = "NAME" };
        var controllerNamespace = new Option<string?>("--controller-namespace") { Description = "Namespace of the controller (env SEALED_SECRETS_CONTROLLER_NAMESPACE; default kube-system)", HelpName = "NS" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)", HelpName = "FILE" };
        var kubeContext = new Option<string?>("--context") { Description = "kubeconfig context to use (default: current-context)", HelpName = "NAME" };
        var allowEmpty = new Option<bool>("--allow-empty-data") { Description = "Seal Secrets that have no data and no stringData" };
        var recovery = new Option<bool>("--recovery-unseal") { Description = "Offline: decrypt SealedSecret(s) with --recovery-private-key and print the Secret(s) (see 'secrets unseal')" };
        var recoveryKeys = new Option<string[]>("--recovery-private-key") { Description = "Private key file(s) for --recovery-unseal: PEM or key Secret manifest; repeatable, comma-separated", HelpName = "FILE" };
        var command = new Command("seal", "Seal Kubernetes Secrets into SealedSecrets (bitnami.com/v1alpha1) that only the in-cluster controller can decrypt; kubeseal-compatible.\n\nExample:\n  kubectl create secret generic db --from-literal=password=s3cr3t --dry-run=client -o yaml \\\n    | secrets seal --cert cert.pem -o yaml > db.sealed.yaml\n  echo -n s3cr3t | secrets seal --raw --cert cert.pem -n prod --name db\n  secrets seal --fetch-cert > cert.pem")
        {
            input, output, format, cert, scope, name, ns, raw, fromFile, mergeInto, reEncrypt, validate, fetchCert,
            controllerName, controllerNamespace, kubeconfig, kubeContext, allowEmpty, recovery, recoveryKeys,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var request = new SealRequest
            {
                Input = result.GetValue(input),
                Output = result.GetValue(output),
                Format = result.GetValue(format),
                Cert = result.GetValue(cert) ?? Env(context, "SEALED_SECRETS_CERT"),
                Scope = result.GetValue(scope),
                Name = result.GetValue(name),
                Namespace = result.GetValue(ns),
                Raw = result.GetValue(raw),
                FromFile = result.GetValue(fromFile),
                MergeInto = result.GetValue(mergeInto),
                ReEncrypt = result.GetValue(reEncrypt),
                Validate = result.GetValue(validate),
                FetchCert = result.GetValue(fetchCert),
                ControllerName = result.GetValue(controllerName) ?? Env(context, "SEALED_SECRETS_CONTROLLER_NAME") ?? "sealed-secrets-controller",
                ControllerNamespace = result.GetValue(controllerNamespace) ?? Env(context, "SEALED_SECRETS_CONTROLLER_NAMESPACE") ?? "kube-system",
                KubeConfig = result.GetValue(kubeconfig),
                KubeContext = result.GetValue(kubeContext),
                AllowEmptyData = result.GetValue(allowEmpty),
                RecoveryUnseal = result.GetValue(recovery),
                RecoveryKeys = result.GetValue(recoveryKeys) ?? [],
            };
            return await new SealRunner(context, request).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string? Env(CliContext context, string name) => context.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
