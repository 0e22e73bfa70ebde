using System.Management.Automation;
using Phota.Errors;
using Phota.Http;
using Phota.Sessions;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that calls the API: takes -Session, resolves it (explicit, then the runspace default set by
/// Connect-Phota, then PHOTA_API_KEY / PHOTA_BASE_URL), says which one was used under -Verbose, and creates the
/// client whose HTTP exchanges, retries and waits are written as verbose messages on the pipeline thread.
/// Connections are pooled per process by the library, so a client per command costs nothing on the wire.
/// </summary>
public abstract class PhotaCmdlet : AsyncCmdlet
{
    private PhotaSession? _session;
    private PhotaClient? _client;

    /// <summary>The session to use (from New-PhotaSession). Default: the one set by Connect-Phota, else PHOTA_API_KEY.</summary>
    [Parameter]
    public PhotaSession? Session { get; set; }

    /// <summary>The session in use for this command.</summary>
    protected PhotaSession ResolvedSession => _session ??= ResolveSession();

    /// <summary>The client for this command (created on first use).</summary>
    protected PhotaClient Client => _client ??= new PhotaClient(ResolvedSession, new PhotaClientOptions { Log = LogSink() });

    protected override void BeforeAwait() => _ = Client;

    /// <summary>This call's own time limit: -TimeoutSec when given (on the cmdlets that have it), else null for the client's default.</summary>
    protected TimeSpan? CallTimeout => TimeoutParameter.Given(MyInvocation);

    /// <summary>Resolves the session or ends the command with a terminating Phota.MissingApiKey error.</summary>
    private PhotaSession ResolveSession()
    {
        PhotaSession session;
        try
        {
            session = PhotaSession.Resolve(Session, SessionStore.Current);
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
            throw; // ThrowTerminatingError always throws, but is not annotated so; C# needs this to see session assigned.
        }

        string where = session.Source switch
        {
            SessionSource.Default => "the default session set by Connect-Phota",
            SessionSource.Environment => "the PHOTA_API_KEY environment variable" + (Environment.GetEnvironmentVariable(PhotaSession.BaseUrlVariable) is { Length: > 0 } ? " and PHOTA_BASE_URL" : string.Empty),
            _ => "the session passed with -Session",
        };
        WriteVerbose($"Using {where}: {session.BaseUri.GetLeftPart(UriPartial.Authority)}.");
        return session;
    }

    /// <summary>Library log events as verbose (HTTP, retries, waits) or debug (journal and other local events) messages; the key is redacted.</summary>
    private Action<PhotaLogEvent>? LogSink()
    {
        bool verbose = IsEnabled("Verbose", "VerbosePreference");
        bool debug = IsEnabled("Debug", "DebugPreference");
        if (!verbose && !debug)
        {
            return null;
        }
        var session = ResolvedSession;
        return logEvent =>
        {
            string text = session.Redact(logEvent.ToString());
            if (logEvent.Kind == PhotaLogEventKind.Info)
            {
                if (debug)
                {
                    PostDebug(text);
                }
            }
            else if (verbose)
            {
                PostVerbose(text);
            }
        };
    }

    /// <summary>Writes a library failure as a non-terminating error, or ends the command when it is an auth/credit/journal failure.</summary>
    protected void WriteFailure(Exception exception, object? target)
    {
        var record = ErrorRecords.From(exception, target);
        if (exception is PhotaException { IsFatalForBatch: true })
        {
            ThrowTerminatingError(record);
        }
        WriteError(record);
    }

    /// <summary>The current PowerShell location as a file-system path (never the process directory).</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>A directory parameter resolved through the provider (relative to the current location; need not exist yet).</summary>
    protected string ResolveDirectory(string? path)
        => string.IsNullOrWhiteSpace(path) ? CurrentDirectory : GetUnresolvedProviderPathFromPSPath(path);

    private bool IsEnabled(string switchName, string preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out var value))
        {
            return value is SwitchParameter s ? s.IsPresent : value is bool b && b;
        }
        var preference = GetVariableValue(preferenceVariable);
        return preference is ActionPreference p ? p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore
            : preference is not null && LanguagePrimitives.TryConvertTo(preference, out ActionPreference converted) && converted != ActionPreference.SilentlyContinue && converted != ActionPreference.Ignore;
    }

    protected override void DisposeResources()
    {
        _client?.Dispose();
        base.DisposeResources();
    }
}
