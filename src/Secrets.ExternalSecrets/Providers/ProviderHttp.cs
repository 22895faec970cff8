using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Secrets.ExternalSecrets.Providers;

/// <summary>HTTP clients for providers that speak HTTP themselves: the context's handler, or one trusting a store's CA bundle.</summary>
internal static class ProviderHttp
{
    public static HttpClient Create(ProviderContext context, string? caPem, Uri baseAddress)
    {
        HttpMessageHandler handler;
        if (context.HttpHandlerFactory is { } factory)
        {
            handler = factory();
        }
        else if (caPem is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(caPem);
            handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        if (errors == SslPolicyErrors.None)
                        {
                            return true;
                        }

                        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                        {
                            return false;
                        }

                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return chain.Build(new X509Certificate2(certificate));
                    },
                },
            };
        }
        else
        {
            handler = new SocketsHttpHandler();
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
