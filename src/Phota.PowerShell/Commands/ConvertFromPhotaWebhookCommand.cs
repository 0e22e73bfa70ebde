using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;
using Phota.Webhooks;

namespace Phota.PowerShell.Commands;

/// <summary>
/// ConvertFrom-PhotaWebhook: verifies a received job callback (X-Phota-Signature over the exact body, in constant time)
/// and returns the job it reports. A missing or wrong signature, or a body that is not a job status, is a
/// non-terminating error and returns nothing.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "PhotaWebhook")]
[OutputType(typeof(PhotaJob))]
public sealed class ConvertFromPhotaWebhookCommand : WebhookCmdlet
{
    protected override void ProcessRecord()
    {
        try
        {
            var status = WebhookSignature.ParseVerified(Body.Bytes, Signature, SigningSecret());
            WriteVerbose($"The signature matches: job {status.JobId} is {status.Status}.");
            WriteObject(PhotaJob.From(status));
        }
        catch (PhotaException e)
        {
            WriteFailure(e, Signature);
        }
    }
}
