namespace Secrets.TestSupport;

/// <summary>Locates the repository root (the folder holding Secrets.sln) and the shared vectors beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary><c>testdata/</c> of this repository.</summary>
    public static string TestData => Path.Combine(Root, "testdata");

    /// <summary>
    /// <c>../shared/vectors</c> relative to the repository root (the upstream artifacts are read in place, never copied);
    /// null when that folder is absent.
    /// </summary>
    public static string? SharedVectors
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "vectors"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A path inside the shared vectors; the caller must have checked <see cref="SharedVectors"/> (or use the skip attributes).</summary>
    public static string Vector(params string[] parts) =>
        Path.Combine([SharedVectors ?? throw new InvalidOperationException("../shared/vectors is absent"), .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Secrets.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (no Secrets.sln above " + AppContext.BaseDirectory + ")");
    }
}
