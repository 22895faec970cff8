using System.Text;
using Secrets.Cli.Commands.Seal.Kube;
using Secrets.Core;
using Secrets.Sealing;

namespace Secrets.Cli.Commands.Seal;

/// <summary>Runs one <c>secrets seal</c> invocation: picks the mode from the flags, as kubeseal's main does.</summary>
internal sealed partial class SealRunner(CliContext context, SealRequest request)
{
    private KubeConfig? _kubeConfig;
    private bool _kubeConfigLoaded;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        CheckFlags();
        if (request.RecoveryUnseal)
        {
            await UnsealCommand.RecoverAsync(context, request.RecoveryKeys, request.Input, request.Output, Format(request.Output), cancellationToken).ConfigureAwait(false);
        }
        else if (request.FetchCert)
        {
            await SealIo.WriteOutputAsync(context, request.Output, await GetCertificateAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        else if (request.Validate)
        {
            await ValidateAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (request.ReEncrypt)
        {
            await ReEncryptAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (request.Raw)
        {
            await SealRawAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (request.MergeInto is not null)
        {
            await MergeIntoAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SealAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private Sealing.Manifests.ManifestFormat Format(string? outputPath) => SealIo.ResolveFormat(request.Format, outputPath);

    private void CheckFlags()
    {
        var modes = new (bool On, string Flag)[]
        {
            (request.RecoveryUnseal, "--recovery-unseal"), (request.FetchCert, "--fetch-cert"), (request.Validate, "--validate"),
            (request.ReEncrypt, "--re-encrypt"), (request.Raw, "--raw"), (request.MergeInto is not null, "--merge-into"),
        }.Where(m => m.On).Select(m => m.Flag).ToList();
        if (modes.Count > 1)
        {
            throw Usage($"{string.Join(" and ", modes)} cannot be combined");
        }

        if (request.FromFile is not null && !request.Raw)
        {
            throw Usage("--from-file needs --raw", "to seal a whole Secret, pass it with -f FILE");
        }

        if (request.RecoveryKeys.Count > 0 && !request.RecoveryUnseal)
        {
            throw Usage("--recovery-private-key needs --recovery-unseal", "or use 'secrets unseal -k KEY'");
        }

        if (request.RecoveryUnseal && request.RecoveryKeys.Count == 0)
        {
            throw Usage("--recovery-unseal needs --recovery-private-key FILE");
        }
    }

    private static SecretsOperationException Usage(string message, string? hint = null) =>
        new(ErrorKind.Usage, message) { Hints = hint is null ? [] : [hint] };

    private SealedSecretScope? ParseScope()
    {
        if (request.Scope is null)
        {
            return null;
        }

        return ScopeAnnotations.TryParse(request.Scope, out var scope)
            ? scope
            : throw Usage($"unknown scope \"{request.Scope}\"", "use strict, namespace-wide or cluster-wide");
    }

    private KubeConfig? TryKubeConfig()
    {
        if (!_kubeConfigLoaded)
        {
            _kubeConfig = KubeConfig.TryLoad(context, request.KubeConfig, request.KubeContext);
            _kubeConfigLoaded = true;
        }

        return _kubeConfig;
    }

    /// <summary>Like kubeseal: the kubeconfig context's namespace, else <c>default</c> when there is a kubeconfig at all.</summary>
    private string? DefaultNamespace()
    {
        var config = TryKubeConfig();
        return config is null ? null : config.Namespace ?? "default";
    }

    private ControllerClient Controller()
    {
        var config = TryKubeConfig() ?? throw new SecretsOperationException(ErrorKind.Usage, "no kubeconfig to reach the sealed-secrets controller")
        {
            Hints = ["pass --cert FILE to seal offline, or --kubeconfig FILE / set KUBECONFIG"],
        };
        return new ControllerClient(config, request.ControllerName, request.ControllerNamespace);
    }

    /// <summary>The certificate's bytes from <c>--cert</c> (file, file:// or http(s)://) or from the controller.</summary>
    private async Task<byte[]> GetCertificateAsync(CancellationToken cancellationToken)
    {
        if (request.Cert is not { } cert)
        {
            using var controller = Controller();
            return await controller.GetCertificateAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Uri.TryCreate(cert, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            try
            {
                using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                return response.IsSuccessStatusCode
                    ? await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)
                    : throw new KeyProviderException("certificate URL", cert, $"HTTP {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                throw new KeyProviderException("certificate URL", cert, e.Message, e);
            }
        }

        var path = cert.StartsWith("file://", StringComparison.Ordinal) ? new Uri(cert).LocalPath : cert;
        return await SealIo.ReadInputAsync(context, path, "certificate", cancellationToken).ConfigureAwait(false);
    }

    private async Task<SealingKey> GetSealingKeyAsync(CancellationToken cancellationToken)
    {
        var bytes = await GetCertificateAsync(cancellationToken).ConfigureAwait(false);
        var source = request.Cert ?? $"controller {request.ControllerNamespace}/{request.ControllerName}";
        var key = SealingKey.FromPem(Encoding.UTF8.GetString(bytes), context.Time.GetUtcNow(), source);
        foreach (var warning in key.Warnings)
        {
            await context.StdErr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        return key;
    }
}
