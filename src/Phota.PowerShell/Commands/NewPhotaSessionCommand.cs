using System.Management.Automation;
using System.Security;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;
using Phota.Sessions;

namespace Phota.PowerShell.Commands;

/// <summary>New-PhotaSession: an API key (SecureString or string; default PHOTA_API_KEY), base URI, timeout and proxy, for -Session or Connect-Phota.</summary>
[Cmdlet(VerbsCommon.New, "PhotaSession")]
[OutputType(typeof(PhotaSession))]
public sealed class NewPhotaSessionCommand : PSCmdlet
{
    /// <summary>The API key: a SecureString (e.g. Get-Secret Phota) or a string. Default: PHOTA_API_KEY.</summary>
    [Parameter(Position = 0)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>The API's base URI. Default: PHOTA_BASE_URL, else https://api.photalabs.com.</summary>
    [Parameter]
    [Alias("BaseUrl", "Uri")]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>Limit for one synchronous studio request, in seconds (the server's own limit is 600).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    /// <summary>A proxy for every request. Default: the system proxy (HTTPS_PROXY/NO_PROXY).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            WriteObject(SessionParameters.Create(ApiKey, BaseUri, TimeoutParameter.Given(MyInvocation), Proxy, ProxyCredential));
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, BaseUri));
        }
    }
}
