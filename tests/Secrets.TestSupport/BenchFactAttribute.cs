namespace Secrets.TestSupport;

/// <summary>
/// A throughput measurement, run only when the given environment variable is set (by the scripts/bench-*.sh that runs it,
/// which may also pass its parameters in it); it prints figures and asserts none (test-infra rules: no timed assertions).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute(string script, string variable = "SECRETS_BENCH")
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 })
        {
            Skip = $"benchmark: run {script} (it sets {variable})";
        }
    }
}
