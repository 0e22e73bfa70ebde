namespace Phota.Reliability.Tests.Support;

/// <summary>
/// Tests that load both cores (large faulty batches, restarts, load) run one at a time, so that each stays bounded
/// in time and the others do not starve while they run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "Heavy";
}
