using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Phota.Sessions;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// The default session of each runspace (set by Connect-Phota). Keyed by runspace so parallel runspaces
/// (ForEach-Object -Parallel, jobs) each have their own and a closed runspace takes its session with it.
/// </summary>
internal static class SessionStore
{
    private static readonly ConditionalWeakTable<Runspace, PhotaSession> Defaults = new();
    private static readonly object Gate = new();

    public static PhotaSession? Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace is not null && Defaults.TryGetValue(runspace, out var session) ? session : null;
        }
    }

    public static void Set(PhotaSession session)
    {
        var runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("There is no current runspace.");
        lock (Gate)
        {
            Defaults.Remove(runspace);
            Defaults.Add(runspace, session);
        }
    }

    /// <summary>Forgets the runspace's default session; returns it, or null when there was none.</summary>
    public static PhotaSession? Clear()
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return null;
        }
        lock (Gate)
        {
            if (Defaults.TryGetValue(runspace, out var session))
            {
                Defaults.Remove(runspace);
                return session;
            }
        }
        return null;
    }
}
