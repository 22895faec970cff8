namespace Secrets.KeyServices.Tests;

/// <summary>Tests that change process environment variables never run in parallel with each other.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;
