namespace Secrets.KeyServices.Tests.Bench;

/// <summary>A throughput measurement, run only when <c>SECRETS_BENCH=1</c> (scripts/bench-keyservices.sh); it prints figures and asserts none.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SECRETS_BENCH") != "1")
        {
            Skip = "benchmark: run scripts/bench-keyservices.sh (SECRETS_BENCH=1)";
        }
    }
}
