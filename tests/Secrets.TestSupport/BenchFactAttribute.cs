namespace Secrets.TestSupport;

/// <summary>
/// A throughput measurement, run only when <c>SECRETS_BENCH=1</c> (set by the scripts/bench-*.sh that runs it); it
/// prints figures and asserts none (test-infra rules: no timed assertions).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute(string script)
    {
        if (Environment.GetEnvironmentVariable("SECRETS_BENCH") != "1")
        {
            Skip = $"benchmark: run {script} (SECRETS_BENCH=1)";
        }
    }
}
