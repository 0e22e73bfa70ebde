using System.Management.Automation;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Reads -TimeoutSec the one way every cmdlet that has it means it: a limit only when given on this call. Its default,
/// 0, stands for "not given" (the session's or client's own limit applies), never for no time at all.
/// </summary>
internal static class TimeoutParameter
{
    private const string Name = "TimeoutSec";

    /// <summary>The -TimeoutSec given on this call, or null when none was.</summary>
    public static TimeSpan? Given(InvocationInfo invocation)
        => invocation.BoundParameters.TryGetValue(Name, out var seconds) ? TimeSpan.FromSeconds((int)seconds) : null;
}
