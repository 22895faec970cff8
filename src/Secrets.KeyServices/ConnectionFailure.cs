using System.Net.Sockets;

namespace Secrets.KeyServices;

/// <summary>Recognizes "the service is not there" anywhere in an SDK's exception chain.</summary>
internal static class ConnectionFailure
{
    public static bool IsRefused(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is SocketException { SocketErrorCode: SocketError.ConnectionRefused } or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }
}
