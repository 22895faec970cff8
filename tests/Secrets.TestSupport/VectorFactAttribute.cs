namespace Secrets.TestSupport;

/// <summary>A fact that needs <c>../shared/vectors/&lt;folder&gt;</c>; skipped with a clear reason when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorFactAttribute : FactAttribute
{
    public VectorFactAttribute(string folder)
    {
        Skip = VectorSkip.Reason(folder);
    }
}

/// <summary>A theory that needs <c>../shared/vectors/&lt;folder&gt;</c>; skipped with a clear reason when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorTheoryAttribute : TheoryAttribute
{
    public VectorTheoryAttribute(string folder)
    {
        Skip = VectorSkip.Reason(folder);
    }
}

internal static class VectorSkip
{
    public static string? Reason(string folder)
    {
        var root = RepoPaths.SharedVectors;
        if (root is null)
        {
            return "../shared/vectors is absent beside the repository; upstream vectors are read in place and never copied";
        }

        return Directory.Exists(Path.Combine(root, folder)) ? null : $"../shared/vectors/{folder} is absent";
    }
}
