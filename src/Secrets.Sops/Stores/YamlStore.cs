using System.Text;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Stores;

/// <summary>YAML (sops.md §6.1): several documents, comments kept (and encrypted), indent 4 unless configured.</summary>
public sealed class YamlStore(int indent = YamlStore.DefaultIndent) : MappingStore
{
    public const int DefaultIndent = 4;

    public override string Name => "yaml";

    /// <summary>The UTF-8 block reader when the file is in its subset (sops' encrypted files normally are), else YamlDotNet.</summary>
    public override List<TreeBranch> LoadPlain(ReadOnlySpan<byte> bytes) => Load(bytes, source: null);

    /// <summary>Canonical ENC[…] values stay slices of <paramref name="source"/> (<see cref="EncText"/>) until decrypted.</summary>
    protected override List<TreeBranch> LoadForDecryption(ReadOnlySpan<byte> bytes, byte[]? source) => Load(bytes, source);

    private static List<TreeBranch> Load(ReadOnlySpan<byte> bytes, byte[]? source) =>
        Utf8YamlReader.TryRead(bytes, source) ?? YamlReader.Read(Encoding.UTF8.GetString(bytes));

    public override byte[] EmitPlain(IReadOnlyList<TreeBranch> documents) => YamlEmitter.Write(documents, Math.Clamp(indent, 2, 9));

    public override void EmitPlain(IReadOnlyList<TreeBranch> documents, Stream output) => YamlEmitter.Write(documents, Math.Clamp(indent, 2, 9), output);

    public override byte[] EmitValue(object? value) => YamlEmitter.WriteValue(value, Math.Clamp(indent, 2, 9));
}
