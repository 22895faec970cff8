namespace Secrets.TestSupport;

/// <summary>
/// A fact that needs external programs (e.g. <c>age</c>, <c>gpg</c>, <c>node</c>) on PATH. The README's test command
/// installs them, so in CI these never skip; the skip is for a developer machine without them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = Tools.MissingReason(tools);
    }
}

/// <summary>A theory that needs external programs on PATH; see <see cref="ToolFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = Tools.MissingReason(tools);
    }
}
