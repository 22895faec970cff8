namespace Secrets.Interop.Tests.Age;

internal static class AgeInteropData
{
    public static byte[] Random(int size)
    {
        var data = new byte[size];
        System.Random.Shared.NextBytes(data);
        return data;
    }
}
