using Secrets.TestSupport;

namespace Secrets.Cli.Tests.KeyServices;

/// <summary>
/// The built CLI (<c>secrets</c> apphost next to the tests) as a child process, for what only a fresh process shows:
/// trust stores read from <c>SSL_CERT_FILE</c>/<c>SSL_CERT_DIR</c> at start, the environment as a shell passes it.
/// </summary>
internal static class CliProcess
{
    /// <summary>The directory holding the <c>secrets</c> apphost (put it on PATH to run <c>secrets</c> by name).</summary>
    public static string Directory => AppContext.BaseDirectory;

    public static string Path => System.IO.Path.Combine(Directory, "secrets");

    /// <summary>The environment every child gets: no cloud identity or endpoint leaks in from the test process.</summary>
    public static Dictionary<string, string?> Environment(string home)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach (var name in (string[])["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL_STS", "AWS_PROFILE",
            "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_AUTHORITY_HOST",
            "IDENTITY_ENDPOINT", "MSI_ENDPOINT", "VAULT_TOKEN", "VAULT_ADDR", "SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SSL_CERT_FILE", "SSL_CERT_DIR"])
        {
            environment[name] = null;
        }

        // The apphost finds the runtime the tests run on (dotnet test sets DOTNET_HOST_PATH).
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            environment["DOTNET_ROOT"] = System.IO.Path.GetDirectoryName(host);
        }

        return environment;
    }

    public static Task<ProcessResult> RunAsync(IDictionary<string, string?> environment, string workingDirectory, params string[] args) =>
        Tools.RunAsync(Path, args, workingDirectory: workingDirectory, environment: environment, timeout: TimeSpan.FromMinutes(2));
}
