using System.Globalization;
using System.Text;

namespace Secrets.Controller.Hosting;

/// <summary>
/// <c>--memory-trace-interval</c> (off by default): logs the GC's view of the heap and the process's resident memory every
/// interval, and the GC settings in effect once at start. Memory at 10k objects is issues 6 and 8's limit, and a Native
/// AOT process cannot be inspected with EventPipe tools (dotnet-gcdump, dotnet-counters), so this is how the benchmarks
/// see where a peak comes from (docs/controller.md "Memory").
/// </summary>
internal sealed partial class MemoryTrace(ControllerOptions options, ILogger<MemoryTrace> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.MemoryTraceInterval <= TimeSpan.Zero || !logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The GC's own view of its settings: a DOTNET_GC* variable the runtime could not parse is simply absent here.
        var settings = string.Join(", ", GC.GetConfigurationVariables().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        LogSettings(logger, settings);
        using var timer = new PeriodicTimer(options.MemoryTraceInterval);
        do
        {
            var sample = Sample();
            LogSample(logger, sample);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One line: the last GC (any kind) and the current RSS split, in MiB.</summary>
    internal static string Sample()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"heap {MiB(info.HeapSizeBytes)} (gen0 {MiB(info.GenerationInfo[0].SizeAfterBytes)}, gen1 {MiB(info.GenerationInfo[1].SizeAfterBytes)}, ");
        text.Append(CultureInfo.InvariantCulture, $"gen2 {MiB(info.GenerationInfo[2].SizeAfterBytes)}, loh {MiB(info.GenerationInfo[3].SizeAfterBytes)}, poh {MiB(info.GenerationInfo[4].SizeAfterBytes)}) ");
        text.Append(CultureInfo.InvariantCulture, $"fragmented {MiB(info.FragmentedBytes)} committed {MiB(info.TotalCommittedBytes)} promoted {MiB(info.PromotedBytes)} ");
        text.Append(CultureInfo.InvariantCulture, $"after GC #{info.Index} gen{info.Generation}{(info.Compacted ? " compacting" : "")}; ");
        text.Append(CultureInfo.InvariantCulture, $"since then {MiB(GC.GetTotalMemory(false) - info.HeapSizeBytes)} allocated; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; ");
        text.Append(CultureInfo.InvariantCulture, $"available {MiB(info.TotalAvailableMemoryBytes)}; ");
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal) || line.StartsWith("RssFile:", StringComparison.Ordinal)
                || line.StartsWith("VmHWM:", StringComparison.Ordinal) || line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                var (name, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                text.Append(CultureInfo.InvariantCulture, $" {name} {(value.EndsWith(" kB", StringComparison.Ordinal) ? MiB(long.Parse(value[..^3], CultureInfo.InvariantCulture) * 1024) : value)}");
            }
        }

        return text.ToString();
    }

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "GC settings: {Settings}")]
    private static partial void LogSettings(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "memory: {Sample}")]
    private static partial void LogSample(ILogger logger, string sample);
}
