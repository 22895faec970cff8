using System.Text;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>YAML (sops.md §6.1): several documents, comments kept (and encrypted), indent 4 unless configured.</summary>
public sealed class YamlStore(int indent = YamlStore.DefaultIndent) : MappingStore
{
    public const int DefaultIndent = 4;

    public override string Name => "yaml";

    public override List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes) => YamlReader.Read(Encoding.UTF8.GetString(bytes));

    public override byte[] EmitPlain(IReadOnlyList<TreeBranch> documents) => Encoding.UTF8.GetBytes(YamlWriter.Write(documents, Math.Clamp(indent, 2, 9)));

    public override byte[] EmitValue(object? value)
    {
        using var writer = new StringWriter();
        var emitter = new YamlDotNet.Core.Emitter(writer, new YamlDotNet.Core.EmitterSettings(Math.Clamp(indent, 2, 9), 80, false, 1024, indentSequences: true));
        emitter.Emit(new YamlDotNet.Core.Events.StreamStart());
        emitter.Emit(new YamlDotNet.Core.Events.DocumentStart(null, null, isImplicit: true));
        YamlWriter.WriteValue(emitter, value);
        emitter.Emit(new YamlDotNet.Core.Events.DocumentEnd(isImplicit: true));
        emitter.Emit(new YamlDotNet.Core.Events.StreamEnd());
        return Encoding.UTF8.GetBytes(writer.ToString());
    }
}
