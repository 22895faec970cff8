using System.Buffers.Binary;
using System.Text;
using Secrets.Core;

namespace Secrets.Age.Ssh;

/// <summary>Reads the SSH wire encoding (RFC 4251 §5: uint32, string, mpint) of public keys and OpenSSH private keys.</summary>
internal sealed class SshWireReader(byte[] data)
{
    private int _position;

    public bool AtEnd => _position == data.Length;

    public uint ReadUInt32()
    {
        Require(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_position));
        _position += 4;
        return value;
    }

    public byte[] ReadString()
    {
        var length = ReadUInt32();
        if (length > data.Length - _position)
        {
            throw Malformed();
        }

        var value = data.AsSpan(_position, (int)length).ToArray();
        _position += (int)length;
        return value;
    }

    public string ReadText() => Encoding.UTF8.GetString(ReadString());

    /// <summary>An mpint as unsigned big-endian magnitude (leading zero byte stripped).</summary>
    public byte[] ReadMpint()
    {
        var value = ReadString();
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    public byte[] ReadBytes(int count)
    {
        Require(count);
        var value = data.AsSpan(_position, count).ToArray();
        _position += count;
        return value;
    }

    private void Require(int count)
    {
        if (data.Length - _position < count)
        {
            throw Malformed();
        }
    }

    private static SecretsOperationException Malformed() => new(ErrorKind.InvalidKey, "malformed ssh key: truncated data");
}
