using System.Globalization;
using Secrets.Core;

namespace Secrets.Controller.Hosting;

/// <summary>
/// Reads <see cref="ControllerOptions"/> from <c>--flag value</c> / <c>--flag=value</c> arguments and from environment
/// variables <c>SECRETS_CONTROLLER_FLAG_NAME</c> or, for upstream compatibility, <c>SEALED_SECRETS_FLAG_NAME</c>
/// (sealed-secrets.md §5). Flags win over the environment. Unknown flags are usage errors.
/// </summary>
public static class OptionsParser
{
    private static readonly string[] EnvPrefixes = ["SECRETS_CONTROLLER_", "SEALED_SECRETS_"];

    public static ControllerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in Flags)
        {
            foreach (var prefix in EnvPrefixes)
            {
                if (environment(prefix + flag.ToUpperInvariant().Replace('-', '_')) is { } fromEnv && !values.ContainsKey(flag))
                {
                    values[flag] = fromEnv;
                }
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw Usage($"unexpected argument \"{arg}\"");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = Canonical(equals < 0 ? arg[2..] : arg[2..equals]);
            if (!Flags.Contains(name))
            {
                throw Usage($"unknown flag \"--{name}\"");
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (BoolFlags.Contains(name) && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                value = "true";
            }
            else
            {
                value = i + 1 < args.Count ? args[++i] : throw Usage($"flag \"--{name}\" needs a value");
            }

            values[name] = value;
        }

        var podNamespace = environment("POD_NAMESPACE");
        var options = new ControllerOptions();
        return options with
        {
            Kubeconfig = Get(values, "kubeconfig") ?? (environment("KUBECONFIG") is { Length: > 0 } kubeconfig ? kubeconfig : null),
            Namespaces = List(Get(values, "namespaces")),
            LabelSelector = Get(values, "label-selector") is { Length: > 0 } selector ? selector : null,
            Concurrency = Int(values, "concurrency", options.Concurrency, min: 1),
            ControllerNamespace = Get(values, "controller-namespace") ?? (podNamespace is { Length: > 0 } ? podNamespace : options.ControllerNamespace),
            LeaderElect = Bool(values, "leader-elect", options.LeaderElect),
            LeaderElectionId = Get(values, "leader-election-id") ?? options.LeaderElectionId,
            Identity = Get(values, "identity") ?? environment("POD_NAME"),
            LeaseDuration = Duration(values, "lease-duration", options.LeaseDuration),
            RenewDeadline = Duration(values, "renew-deadline", options.RenewDeadline),
            RetryPeriod = Duration(values, "retry-period", options.RetryPeriod),
            ListenAddress = Get(values, "listen-addr") ?? options.ListenAddress,
            MetricsAddress = Get(values, "listen-metrics-addr") ?? options.MetricsAddress,
            KeyPrefix = KeyPrefix(Get(values, "key-prefix") ?? options.KeyPrefix),
            KeySize = Int(values, "key-size", options.KeySize, min: 1024),
            KeyTtl = Duration(values, "key-ttl", options.KeyTtl),
            KeyRenewPeriod = Duration(values, "key-renew-period", options.KeyRenewPeriod),
            KeyCutoffTime = Get(values, "key-cutoff-time") is { Length: > 0 } cutoff ? Time(cutoff) : null,
            CommonName = Get(values, "my-cn") ?? options.CommonName,
            UpdateStatus = Bool(values, "update-status", options.UpdateStatus),
            WatchTimeout = Duration(values, "watch-timeout", options.WatchTimeout),
            RateLimit = Int(values, "rate-limit", options.RateLimit, min: 1),
            RateLimitBurst = Int(values, "rate-limit-burst", options.RateLimitBurst, min: 1),
            MaxUnsealRetries = Int(values, "max-unseal-retries", options.MaxUnsealRetries, min: 0),
            EnableExternalSecrets = Bool(values, "enable-external-secrets", options.EnableExternalSecrets),
            ControllerClass = Get(values, "controller-class") is { Length: > 0 } controllerClass ? controllerClass : options.ControllerClass,
            SopsDecryptionSecret = Get(values, "sops-decryption-secret") ?? options.SopsDecryptionSecret,
            MemoryTraceInterval = Duration(values, "memory-trace-interval", options.MemoryTraceInterval),
        };
    }

    private static readonly HashSet<string> BoolFlags = ["leader-elect", "update-status", "enable-external-secrets"];

    private static readonly HashSet<string> Flags =
    [
        "kubeconfig", "namespaces", "label-selector", "concurrency", "controller-namespace", "leader-elect", "leader-election-id",
        "identity", "lease-duration", "renew-deadline", "retry-period", "listen-addr", "listen-metrics-addr", "key-prefix", "key-size",
        "key-ttl", "key-renew-period", "key-cutoff-time", "my-cn", "update-status", "watch-timeout", "rate-limit", "rate-limit-burst",
        "max-unseal-retries", "enable-external-secrets", "controller-class", "sops-decryption-secret",
        "memory-trace-interval",
    ];

    // Upstream spellings kept working (sealed-secrets.md §3.3 step 4, §5).
    private static string Canonical(string name) => name switch
    {
        "rotate-period" => "key-renew-period",
        "additional-namespaces" => "namespaces",
        _ => name,
    };

    private static string? Get(Dictionary<string, string> values, string name) => values.GetValueOrDefault(name);

    private static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int Int(Dictionary<string, string> values, string name, int fallback, int min)
    {
        if (Get(values, name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw Usage($"--{name} must be an integer ≥ {min}, not \"{text}\"");
    }

    private static bool Bool(Dictionary<string, string> values, string name, bool fallback) => Get(values, name) switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var other => throw Usage($"--{name} must be true or false, not \"{other}\""),
    };

    private static TimeSpan Duration(Dictionary<string, string> values, string name, TimeSpan fallback)
    {
        if (Get(values, name) is not { } text)
        {
            return fallback;
        }

        return GoDuration.TryParse(text, out var duration) ? duration : throw Usage($"--{name} must be a duration like 720h or 30s, not \"{text}\"");
    }

    private static DateTimeOffset Time(string text)
    {
        // Upstream takes RFC 1123 with a numeric zone (`date -R`); ISO 8601 is accepted too.
        string[] formats = ["ddd, dd MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm:ss zzz"];
        var normalized = System.Text.RegularExpressions.Regex.Replace(text, @"([+-]\d{2})(\d{2})$", "$1:$2");
        if (DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var rfc))
        {
            return rfc;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)
            ? iso
            : throw Usage($"--key-cutoff-time must look like \"Mon, 14 Oct 2024 21:45:30 +0200\" (date -R), not \"{text}\"");
    }

    private static string KeyPrefix(string prefix) =>
        prefix.Length is > 0 and <= 245 && prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            ? prefix
            : throw Usage($"--key-prefix must match [a-z0-9-]{{1,245}}, not \"{prefix}\"");

    private static SecretsOperationException Usage(string message) => new(ErrorKind.Usage, message);
}
