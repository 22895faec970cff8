using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Engine;

/// <summary>An encrypted file as loaded from or written to a store: its documents and the <c>sops</c> metadata.</summary>
public sealed record SopsFile(List<TreeBranch> Documents, SopsMetadata Metadata);
