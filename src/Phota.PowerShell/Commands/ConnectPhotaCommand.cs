using System.Management.Automation;
using System.Security;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;
using Phota.Sessions;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Connect-Phota: sets the default session of this runspace, from parameters, a session object, or
/// PHOTA_API_KEY/PHOTA_BASE_URL, after checking the key with a cheap call (unless -SkipCheck).
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Phota", DefaultParameterSetName = KeySet)]
[OutputType(typeof(PhotaSession))]
public sealed class ConnectPhotaCommand : AsyncCmdlet
{
    private const string KeySet = "ApiKey";
    private const string SessionSet = "Session";

    [Parameter(ParameterSetName = KeySet, Position = 0)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter(ParameterSetName = KeySet)]
    [Alias("BaseUrl", "Uri")]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter(ParameterSetName = KeySet)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter(ParameterSetName = KeySet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>A session from New-PhotaSession.</summary>
    [Parameter(ParameterSetName = SessionSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PhotaSession? Session { get; set; }

    /// <summary>Do not check the key against the API.</summary>
    [Parameter]
    public SwitchParameter SkipCheck { get; set; }

    /// <summary>Emit the session.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        PhotaSession session;
        try
        {
            session = Session ?? SessionParameters.Create(ApiKey, BaseUri, TimeoutParameter.Given(MyInvocation), Proxy, ProxyCredential);
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, BaseUri));
            return;
        }

        if (!SkipCheck)
        {
            WriteVerbose($"Checking the API key against {session.BaseUri.GetLeftPart(UriPartial.Authority)}.");
            try
            {
                using var client = new PhotaClient(session, new PhotaClientOptions { Log = e => PostVerbose(session.Redact(e.ToString())) });
                Await(token => client.TestConnectionAsync(token));
            }
            catch (PhotaException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, session));
            }
        }

        SessionStore.Set(session);
        WriteVerbose($"Connected: {session}. Phota cmdlets in this runspace use it unless given -Session.");
        if (PassThru)
        {
            WriteObject(session);
        }
    }
}
