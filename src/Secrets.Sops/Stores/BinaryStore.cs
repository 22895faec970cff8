using System.Text;
using Secrets.Core;
using Secrets.Sops.Engine;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>Any other file (sops.md §6.2, binary store): the whole file is one string under <c>data</c>, encrypted into JSON.</summary>
public sealed class BinaryStore(int indent = -1) : ISopsStore
{
    private const string DataKey = "data";
    private readonly JsonStore _json = new(indent);

    public string Name => "binary";

    public List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes) =>
        [[new TreeItem(DataKey, System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : new RawString(bytes.ToArray()))]];

    public SopsFile LoadEncrypted(ReadOnlySpan<byte> bytes) => _json.LoadEncrypted(bytes);

    public byte[] EmitPlain(IReadOnlyList<TreeBranch> documents)
    {
        var data = documents.Count == 1 ? documents[0][DataKey] : null;
        return data switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            byte[] raw => raw,
            RawString raw => raw.Bytes,
            _ => throw new InvalidFileException("binary files must have a single string \"data\" key")
            {
                Hints = ["the file was probably encrypted as another format: pass --output-type json (or yaml)"],
            },
        };
    }

    public byte[] EmitEncrypted(SopsFile file) => _json.EmitEncrypted(file);

    public byte[] EmitValue(object? value) => value switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        RawString raw => raw.Bytes,
        _ => _json.EmitValue(value),
    };

    public bool HasMetadata(IReadOnlyList<TreeBranch> documents) => false;
}
