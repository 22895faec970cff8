using System.Text;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>YAML (sops.md §6.1): several documents, comments kept (and encrypted), indent 4 unless configured.</summary>
public sealed class YamlStore(int indent = YamlStore.DefaultIndent) : MappingStore
{
    public const int DefaultIndent = 4;

    public override string Name => "yaml";

    public override List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes) => YamlReader.Read(Encoding.UTF8.GetString(bytes));

    public override byte[] EmitPlain(IReadOnlyList<TreeBranch> documents) => Encoding.UTF8.GetBytes(YamlEmitter.Write(documents, Math.Clamp(indent, 2, 9)));

    public override byte[] EmitValue(object? value) => Encoding.UTF8.GetBytes(YamlEmitter.WriteValue(value, Math.Clamp(indent, 2, 9)));
}
